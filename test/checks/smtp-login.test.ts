// smtp-login: EHLO, STARTTLS, AUTH XOAUTH2 with the ROPC token; no mail is sent.
import { checkTester } from './check-tester.js';

checkTester('smtp-login', {
  valid: [
    { name: 'SMTP AUTH on', status: 'pass', code: 'SMTP_OK' },
  ],
  invalid: [
    { name: 'SMTP AUTH off for the tenant', scenario: 'smtp-auth-disabled-tenant', status: 'fail', code: 'SMTP_AUTH_DISABLED_TENANT' },
    { name: 'SMTP AUTH off for the mailbox', scenario: 'smtp-auth-disabled-mailbox', status: 'fail', code: 'SMTP_AUTH_DISABLED_MAILBOX' },
    { name: 'no licence, so no mailbox', scenario: 'no-license', status: 'fail', code: 'NO_MAILBOX' },
    { name: 'a licensed user whose mailbox is not provisioned', status: 'fail', code: 'AUTH_REJECTED',
      tenant: (t) => { t.users[0].mailbox = null; } },
    { name: 'a relay that does not offer XOAUTH2', faults: { smtp: { offerXoauth2: false } }, status: 'fail', code: 'XOAUTH2_NOT_OFFERED' },
    { name: 'a relay without STARTTLS: the token is never sent', faults: { smtp: { starttls: false } }, status: 'fail', code: 'STARTTLS_REFUSED' },
    { name: 'sending not among the activities', inputs: { activities: ['read-imap'] }, status: 'skip', code: 'NOT_NEEDED' },
  ],
});
