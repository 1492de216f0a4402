// smtp-login: EHLO, STARTTLS, AUTH XOAUTH2 with the ROPC token; no mail is sent.
import { expect } from 'vitest';
import { checkTester } from './check-tester.js';

checkTester('smtp-login', {
  valid: [
    {
      name: 'SMTP AUTH on',
      status: 'pass',
      code: 'SMTP_OK',
      verify: (r) =>
        expect(r.evidence).toMatchObject({
          replyCommand: 'AUTH',
          replyStatus: '235',
          replyCode: 235,
          replyEnhancedCode: '2.7.0',
        }),
    },
    {
      name: 'app-only: SMTP.SendAsApp and the Exchange registration in place',
      inputs: { profile: 'app-only' },
      scenario: 'app-only-ready',
      status: 'pass',
      code: 'SMTP_OK',
      verify: (r) => {
        if (r.evidence.servicePrincipalRegistered !== true || r.evidence.mailboxPermission !== 'unproven')
          throw new Error(JSON.stringify(r.evidence));
      },
    },
    // RBAC for Applications: no SMTP.SendAsApp in the token (as Microsoft advises), the Exchange role assigned with a scope holding the mailbox.
    {
      name: 'app-only: RBAC for Applications scoped to the mailbox, no role in the token',
      inputs: { profile: 'app-only' },
      scenario: 'app-only-rbac-scoped',
      status: 'pass',
      code: 'SMTP_OK',
      verify: (r) =>
        expect(r.evidence).toMatchObject({
          holdsSendAsApp: false,
          servicePrincipalRegistered: true,
          mailboxPermission: 'unproven',
        }),
    },
  ],
  invalid: [
    // App-only logins run without a user's sign-in: a mailbox name that is no user is user-account's finding.
    {
      name: 'app-only, a user name that is no user of the tenant',
      scenario: 'app-only-ready',
      inputs: { profile: 'app-only', username: 'nobody@m365doctordemo.onmicrosoft.com' },
      status: 'fail',
      code: 'UNKNOWN_MAILBOX',
      verify: (r) => {
        if (r.causedBy !== 'user-account') throw new Error(String(r.causedBy));
      },
    },
    {
      name: 'SMTP AUTH off for the tenant',
      scenario: 'smtp-auth-disabled-tenant',
      status: 'fail',
      code: 'SMTP_AUTH_DISABLED_TENANT',
      verify: (r) =>
        expect(r.evidence).toMatchObject({ replyCommand: 'AUTH', replyCode: 535, replyEnhancedCode: '5.7.139' }),
    },
    {
      name: 'SMTP AUTH off for the mailbox',
      scenario: 'smtp-auth-disabled-mailbox',
      status: 'fail',
      code: 'SMTP_AUTH_DISABLED_MAILBOX',
    },
    { name: 'no licence, so no mailbox', scenario: 'no-license', status: 'fail', code: 'NO_MAILBOX' },
    {
      name: 'a licensed user whose mailbox is not provisioned',
      status: 'fail',
      code: 'AUTH_REJECTED',
      tenant: (t) => {
        t.users[0].mailbox = null;
      },
    },
    // SMTP AUTH compares user= with the token's UPN: the mail address signed in as an alternate login ID is refused.
    {
      name: 'user= the mail address, not the UPN',
      scenario: 'email-alternate-login-id',
      status: 'fail',
      code: 'AUTH_REJECTED',
      verify: (r) => {
        if (r.causedBy !== 'user-account' || !r.message.includes('5.7.3'))
          throw new Error(`${r.message} ${r.causedBy}`);
      },
    },
    {
      name: 'a relay that does not offer XOAUTH2',
      faults: { smtp: { offerXoauth2: false } },
      status: 'fail',
      code: 'XOAUTH2_NOT_OFFERED',
    },
    {
      name: 'a relay without STARTTLS: the token is never sent',
      faults: { smtp: { starttls: false } },
      status: 'fail',
      code: 'STARTTLS_REFUSED',
      verify: (r) => expect(r.evidence).toMatchObject({ replyCommand: 'STARTTLS', replyCode: 500 }),
    },
    {
      name: 'sending not among the activities',
      inputs: { activities: ['read-imap'] },
      status: 'skip',
      code: 'NOT_NEEDED',
    },
    {
      name: 'a token without SMTP.Send',
      scenario: 'smtp-send-not-consented',
      status: 'fail',
      code: 'SCOPE_MISSING',
      verify: (r) => {
        if (r.causedBy !== 'ropc-scopes') throw new Error(String(r.causedBy));
      },
    },
    // The app-only profile logs in with the client-credentials token.
    // Its own finding (the token lacks the role and Exchange refused): RBAC for Applications could have granted it.
    {
      name: 'app-only: SMTP.SendAsApp not consented and no RBAC for Applications assignment',
      inputs: { profile: 'app-only' },
      scenario: 'app-only-smtp-role-missing',
      status: 'fail',
      code: 'ROLE_MISSING',
      verify: (r, run) => {
        expect(r.causedBy).toBeUndefined();
        expect(r.evidence).toMatchObject({ holdsSendAsApp: false, servicePrincipalRegistered: null });
        expect(r.remediation).toContain('Grant admin consent');
        expect(r.remediation).toContain('-Role "Application SMTP.SendAsApp" -CustomResourceScope');
        expect(run.get('app-roles-exchange')?.status).toBe('pass');
      },
    },
    {
      name: 'app-only: no role (never listed) and no Exchange registration',
      inputs: { profile: 'app-only' },
      scenario: 'exchange-sp-missing',
      status: 'fail',
      code: 'ROLE_MISSING',
    },
    // Exchange refuses a token holding SMTP.SendAsApp alike whether the app was never registered or registered under the wrong id.
    {
      name: 'app-only: SMTP.SendAsApp held, never registered in Exchange',
      inputs: { profile: 'app-only' },
      scenario: 'app-only-smtp-sp-missing',
      status: 'fail',
      code: 'APP_NOT_REGISTERED',
      verify: (r) => {
        if (r.evidence.servicePrincipalRegistered !== false || r.evidence.holdsSendAsApp !== true)
          throw new Error(JSON.stringify(r.evidence));
      },
    },
    {
      name: "app-only: registered with the app registration's object id",
      inputs: { profile: 'app-only' },
      scenario: 'app-only-smtp-wrong-object-id',
      status: 'fail',
      code: 'APP_NOT_REGISTERED',
      verify: (r) => {
        if (!r.message.includes('33333333-3333-3333-3333-333333333333')) throw new Error(r.message);
      },
    },
    // A connector asking for the Graph resource's IMAP/POP/SMTP scopes gets a Graph token, which Exchange refuses.
    {
      name: 'a token requested for Microsoft Graph',
      endpoints: { exchangeScopeHost: 'https://graph.microsoft.com' },
      status: 'fail',
      code: 'WRONG_TOKEN_AUDIENCE',
      verify: (r) => {
        if (r.causedBy !== 'ropc-scopes') throw new Error(String(r.causedBy));
      },
    },
  ],
});
