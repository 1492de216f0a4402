// exchange-app-smtp: when the app holds SMTP.SendAsApp, an app-only SMTP AUTH as the mailbox proves the Exchange registration.
import { checkTester } from './check-tester.js';
import type { CheckResult } from '../../src/core/result.js';

const expectEvidence = (fields: Record<string, unknown>) => (r: CheckResult) => {
  for (const [k, v] of Object.entries(fields)) {
    if (JSON.stringify(r.evidence[k]) !== JSON.stringify(v)) throw new Error(`${k}: ${JSON.stringify(r.evidence[k])}`);
  }
};

checkTester('exchange-app-smtp', {
  valid: [
    {
      name: "registered in Exchange under the enterprise app's object id",
      scenario: 'app-only-ready',
      status: 'pass',
      code: 'APP_SMTP_OK',
      verify: expectEvidence({
        holdsSendAsApp: true,
        servicePrincipalRegistered: true,
        mailboxPermission: 'unproven',
        appRegistrationObjectId: '33333333-3333-3333-3333-333333333333',
      }),
    },
    // Exchange checks the right to send as the mailbox at submission only: an AUTH cannot see it missing.
    {
      name: 'no FullAccess or Send As: AUTH still accepted',
      scenario: 'app-only-smtp-no-send-as',
      status: 'pass',
      code: 'APP_SMTP_OK',
    },
  ],
  invalid: [
    {
      name: 'never registered in Exchange',
      scenario: 'app-only-smtp-sp-missing',
      status: 'fail',
      code: 'EXCHANGE_SP_NOT_REGISTERED',
      verify: (r, run) => {
        expectEvidence({
          servicePrincipalRegistered: false,
          servicePrincipalObjectId: '44444444-4444-4444-4444-444444444444',
        })(r);
        // One registration, one cause: the app-only IMAP login found it first.
        if (
          run.get('exchange-app-access')?.code !== 'EXCHANGE_SP_NOT_REGISTERED' ||
          r.causedBy !== 'exchange-app-access'
        )
          throw new Error(`causedBy ${String(r.causedBy)}`);
      },
    },
    {
      name: "registered with the app registration's object id",
      scenario: 'app-only-smtp-wrong-object-id',
      status: 'fail',
      code: 'EXCHANGE_SP_NOT_REGISTERED',
      verify: (r) => {
        if (
          !r.remediation?.includes('33333333-3333-3333-3333-333333333333') ||
          !r.remediation.includes('-ObjectId 44444444-4444-4444-4444-444444444444')
        )
          throw new Error(r.remediation);
      },
    },
    {
      name: 'SMTP AUTH off for the mailbox, as smtp-login found',
      scenario: 'app-only-ready',
      tenant: (t) => {
        t.users[0].mailbox!.smtpClientAuthenticationDisabled = true;
      },
      status: 'fail',
      code: 'SMTP_REFUSED',
      verify: (r) => {
        if (r.causedBy !== 'smtp-login') throw new Error(String(r.causedBy));
      },
    },
    {
      name: 'no licence, so no mailbox',
      scenario: 'app-only-ready',
      tenant: (t) => {
        t.users[0].assignedLicenses = [];
        t.users[0].mailbox = null;
      },
      status: 'fail',
      code: 'NO_MAILBOX',
      verify: (r) => {
        if (r.causedBy !== 'user-license') throw new Error(String(r.causedBy));
      },
    },
    {
      name: 'SMTP.SendAsApp listed but not consented: the app does not send app-only',
      scenario: 'app-only-smtp-role-missing',
      status: 'skip',
      code: 'NOT_HELD',
    },
    {
      name: "the healthy tenant's app reads app-only but sends with the user's token",
      status: 'skip',
      code: 'NOT_HELD',
    },
    {
      name: 'a user the tenant does not have',
      scenario: 'app-only-ready',
      inputs: { username: 'nobody@m365doctordemo.onmicrosoft.com' },
      status: 'skip',
      code: 'NO_USABLE_MAILBOX',
    },
    {
      name: 'sending not among the activities',
      scenario: 'app-only-ready',
      inputs: { activities: ['read-imap'] },
      status: 'skip',
      code: 'NOT_NEEDED',
    },
    {
      name: 'the app-only profile: smtp-login makes this login',
      scenario: 'app-only-ready',
      inputs: { profile: 'app-only' },
      status: 'skip',
      code: 'NOT_IN_PROFILE',
    },
  ],
});
