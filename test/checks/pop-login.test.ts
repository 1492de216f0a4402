// pop-login: a delegated XOAUTH2 login with the ROPC token, then opening the mailbox read-only.
import { expect } from 'vitest';
import { checkTester } from './check-tester.js';
import { withoutDelegatedScope, withoutExchangeRole } from './tenant-edits.js';

checkTester('pop-login', {
  valid: [
    {
      name: 'the healthy mailbox',
      status: 'pass',
      code: 'LOGIN_OK',
      verify: (r) => expect(r.evidence).toMatchObject({ replyCommand: 'STAT', replyStatus: '+OK' }),
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
      name: 'POP disabled on the mailbox',
      scenario: 'pop-disabled',
      status: 'fail',
      code: 'POP_DISABLED_FOR_MAILBOX',
      verify: (r) => expect(r.evidence).toMatchObject({ replyCommand: 'STAT', replyStatus: '-ERR' }),
    },
    { name: 'no licence, so no mailbox', scenario: 'no-license', status: 'fail', code: 'NO_MAILBOX' },
    // Licensed, but the mailbox is not there (yet): user-license passes, so the server's refusal stands on its own.
    {
      name: 'a licensed user whose mailbox is not provisioned',
      status: 'fail',
      code: 'AUTH_REJECTED',
      tenant: (t) => {
        t.users[0].mailbox = null;
      },
    },
    {
      name: 'a server in between that does not offer XOAUTH2',
      faults: { pop: { offerXoauth2: false } },
      status: 'fail',
      code: 'XOAUTH2_NOT_OFFERED',
    },
    {
      name: 'the mailbox temporarily unavailable',
      faults: { pop: { mailboxUnavailable: true } },
      status: 'fail',
      code: 'MAILBOX_NOT_OPENED',
      verify: (r) =>
        expect(r.evidence).toMatchObject({ replyCommand: 'STAT', replyStatus: '-ERR', replyResponseCode: 'SYS/TEMP' }),
    },
    {
      name: 'POP reading not among the activities',
      inputs: { activities: ['send-smtp'] },
      status: 'skip',
      code: 'NOT_NEEDED',
    },
    {
      name: 'a token without POP.AccessAsUser.All',
      tenant: withoutDelegatedScope('POP.AccessAsUser.All'),
      status: 'fail',
      code: 'SCOPE_MISSING',
      verify: (r) => {
        if (r.causedBy !== 'ropc-scopes') throw new Error(String(r.causedBy));
      },
    },
    // The app-only profile logs in with the client-credentials token.
    {
      name: 'app-only: POP.AccessAsApp not consented',
      inputs: { profile: 'app-only' },
      tenant: withoutExchangeRole('POP.AccessAsApp'),
      status: 'fail',
      code: 'ROLE_MISSING',
      verify: (r) => {
        if (r.causedBy !== 'app-roles-exchange') throw new Error(String(r.causedBy));
      },
    },
    {
      name: 'app-only: never registered in Exchange',
      inputs: { profile: 'app-only' },
      scenario: 'exchange-sp-missing',
      status: 'fail',
      code: 'APP_NOT_REGISTERED',
    },
    {
      name: 'app-only: no FullAccess on the mailbox',
      inputs: { profile: 'app-only' },
      scenario: 'no-mailbox-permission',
      status: 'fail',
      code: 'APP_MAILBOX_NOT_OPENED',
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
