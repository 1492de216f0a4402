// user-account on the emulated tenant: the mailbox user exists, is enabled and is a member.
import { checkTester } from './check-tester.js';

checkTester('user-account', {
  valid: [
    { name: 'the healthy tenant', status: 'pass', code: 'USER_OK' },
    { name: 'read by the directory reader when the app has no User.Read.All', scenario: 'no-admin-consent', status: 'pass', code: 'USER_OK',
      verify: (r) => { if (r.evidence.readAs !== 'admin') throw new Error(`read as ${String(r.evidence.readAs)}`); } },
  ],
  invalid: [
    { name: 'a user the tenant does not have', scenario: 'user-not-found', status: 'fail', code: 'USER_NOT_FOUND' },
    { name: 'a user blocked from signing in', scenario: 'disabled-user', status: 'fail', code: 'USER_DISABLED' },
    { name: 'a guest user', scenario: 'guest-user', status: 'fail', code: 'USER_IS_GUEST' },
    { name: 'no User.Read.All and no directory reader', scenario: 'no-admin-consent', inputs: { adminClientId: null, adminClientSecret: null },
      status: 'skip', code: 'NO_USER_READER' },
    { name: 'no user name given', inputs: { username: null }, status: 'skip', code: 'NO_INPUT' },
  ],
});
