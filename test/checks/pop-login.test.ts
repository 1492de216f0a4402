// pop-login: a delegated XOAUTH2 login with the ROPC token, then opening the mailbox read-only.
import { checkTester } from './check-tester.js';

checkTester('pop-login', {
  valid: [
    { name: 'the healthy mailbox', status: 'pass', code: 'LOGIN_OK' },
  ],
  invalid: [
    { name: 'POP disabled on the mailbox', scenario: 'pop-disabled', status: 'fail', code: 'POP_DISABLED_FOR_MAILBOX' },
    { name: 'no licence, so no mailbox', scenario: 'no-license', status: 'fail', code: 'NO_MAILBOX' },
    // Licensed, but the mailbox is not there (yet): user-license passes, so the server's refusal stands on its own.
    { name: 'a licensed user whose mailbox is not provisioned', status: 'fail', code: 'AUTH_REJECTED',
      tenant: (t) => { t.users[0].mailbox = null; } },
    { name: 'a server in between that does not offer XOAUTH2', faults: { pop: { offerXoauth2: false } }, status: 'fail', code: 'XOAUTH2_NOT_OFFERED' },
    { name: 'the mailbox temporarily unavailable', faults: { pop: { mailboxUnavailable: true } }, status: 'fail', code: 'MAILBOX_NOT_OPENED' },
    { name: 'POP reading not among the activities', inputs: { activities: ['send-smtp'] }, status: 'skip', code: 'NOT_NEEDED' },
  ],
});
