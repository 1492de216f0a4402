// user-account on the emulated tenant: the mailbox user exists, is enabled and is a member.
import { checkTester } from './check-tester.js';

checkTester('user-account', {
  valid: [
    { name: 'the healthy tenant', status: 'pass', code: 'USER_OK' },
    {
      name: 'read by the directory reader when the app has no User.Read.All',
      scenario: 'no-admin-consent',
      status: 'pass',
      code: 'USER_OK',
      verify: (r) => {
        if (r.evidence.readAs !== 'admin') throw new Error(`read as ${String(r.evidence.readAs)}`);
      },
    },
    // The UPN matters for the From address only when the connector sends.
    {
      name: 'a UPN that is no mail address, for a connector that only reads',
      scenario: 'upn-not-mail-address',
      inputs: { activities: ['read-imap'] },
      status: 'pass',
      code: 'USER_OK',
    },
    // A shared mailbox's account is blocked from signing in; an app-only connector still opens the mailbox.
    {
      name: 'a blocked account in the app-only profile',
      scenario: 'disabled-user',
      inputs: { profile: 'app-only' },
      status: 'pass',
      code: 'BLOCKED_APP_ONLY_OK',
      verify: (_r, run) => {
        if (run.get('imap-login')?.status !== 'pass') throw new Error(String(run.get('imap-login')?.code));
      },
    },
    // App-only connectors name the mailbox in user=, and its mail address is right there.
    {
      name: 'the mail address as user name in the app-only profile',
      scenario: 'email-alternate-login-id',
      inputs: { profile: 'app-only' },
      status: 'pass',
      code: 'USER_OK',
    },
  ],
  invalid: [
    { name: 'a user the tenant does not have', scenario: 'user-not-found', status: 'fail', code: 'USER_NOT_FOUND' },
    { name: 'a user blocked from signing in', scenario: 'disabled-user', status: 'fail', code: 'USER_DISABLED' },
    { name: 'a guest user', scenario: 'guest-user', status: 'fail', code: 'USER_IS_GUEST' },
    {
      name: 'no User.Read.All and no directory reader',
      scenario: 'no-admin-consent',
      inputs: { adminClientId: null, adminClientSecret: null },
      status: 'skip',
      code: 'NO_USER_READER',
    },
    { name: 'no user name given', inputs: { username: null }, status: 'skip', code: 'NO_INPUT' },
    // /users/{x} takes only an id or a UPN: the mail address is found through $filter=mail eq, and named as such.
    {
      name: 'the mail address configured instead of the UPN',
      scenario: 'email-alternate-login-id',
      status: 'warn',
      code: 'USERNAME_NOT_UPN',
      verify: (r, run) => {
        if (r.evidence.userPrincipalName !== 'connector@m365doctordemo.onmicrosoft.com')
          throw new Error(String(r.evidence.userPrincipalName));
        // The licence is still read, by the UPN user-account found.
        if (run.get('user-license')?.code !== 'LICENSE_OK') throw new Error(String(run.get('user-license')?.code));
      },
    },
    {
      name: 'a UPN that is not an address of the mailbox, for a sending connector',
      scenario: 'upn-not-mail-address',
      status: 'warn',
      code: 'UPN_NOT_AN_ADDRESS',
      verify: (r) => {
        if (!r.remediation?.includes('mail.connector@m365doctordemo.onmicrosoft.com'))
          throw new Error(String(r.remediation));
      },
    },
  ],
});
