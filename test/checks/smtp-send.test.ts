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
  ],
});
