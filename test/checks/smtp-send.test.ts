// smtp-send: only with --send-test-mail, one message from the mailbox to itself.
import { checkTester } from './check-tester.js';

checkTester('smtp-send', {
  valid: [
    { name: 'the test message accepted', inputs: { sendTestMail: true }, status: 'pass', code: 'TEST_MAIL_SENT' },
  ],
  invalid: [
    { name: 'without --send-test-mail nothing is written', status: 'skip', code: 'NEEDS_FLAG' },
    { name: 'a sender on the restricted entities list', inputs: { sendTestMail: true }, status: 'fail', code: 'SEND_REJECTED',
      tenant: (t) => { t.exchange.restrictedSenders = [t.users[0].userPrincipalName]; },
      verify: (r) => { if (!r.message.includes('5.1.8')) throw new Error(r.message); } },
    // Exchange submits only as an address of the mailbox: the UPN is none, so the store refuses at the end of DATA.
    { name: 'sent from a UPN that is not an address of the mailbox', scenario: 'upn-not-mail-address', inputs: { sendTestMail: true },
      status: 'fail', code: 'SEND_AS_DENIED',
      verify: (r) => {
        if (!r.message.includes('554 5.2.252 SendAsDenied') || r.causedBy !== 'user-account') throw new Error(`${r.message} ${r.causedBy}`);
        if (!r.remediation?.includes('its primary address is mail.connector@m365doctordemo.onmicrosoft.com')) throw new Error(String(r.remediation));
      } },
  ],
});
