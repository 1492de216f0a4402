// smtp-send: with --send-test-mail only, a test message from the user to the user. The one check that writes.
import { defineCheck } from '../src/core/check.js';
import { APP_SMTP_CODES, NO_SEND_PERMISSION, spObjectIdOf } from '../src/diagnose/app-smtp.js';
import { loginToken } from '../src/diagnose/login-token.js';
import { isAppOnly } from '../src/diagnose/profile.js';

export default defineCheck({
  meta: {
    id: 'smtp-send',
    title: 'Test mail is accepted',
    category: 'exchange',
    // Sending needs a login that works, and smtp-login is that login: refused there, MAIL FROM would never be reached.
    dependsOn: ['smtp-login'],
    // Read only to explain a Send As refusal: the UPN is not an address of the mailbox.
    consults: ['user-account'],
    description:
      'Only with --send-test-mail: sends one short message from the mailbox user to itself through SMTP submission, ' +
      'proving MAIL FROM, RCPT TO and DATA are accepted (Send As rights, outbound restrictions). Without the flag it does not run: ' +
      'm365-doctor never writes to a tenant unless asked.',
    codes: {
      TEST_MAIL_SENT: { message: 'Exchange accepted the test message to {username}: "{response}".' },
      SEND_AS_DENIED: {
        message: 'Exchange refused to send as {username}: "{response}".{addressNote}',
        remediation:
          "Send from an address of the mailbox{primary}, not from {username}. Or add {username} to the mailbox's addresses: Set-Mailbox -Identity <mailbox> -EmailAddresses @{Add='smtp:{username}'}. Or, when {username} is another mailbox, grant Send As: Add-RecipientPermission -Identity {username} -Trustee <signed-in user> -AccessRights SendAs.",
      },
      SEND_REJECTED: {
        message: 'Exchange refused the test message: "{response}".',
        remediation:
          'Read the status code in the answer; 5.1.8 means the mailbox is on the restricted senders list (Microsoft 365 Defender > Restricted entities).',
      },
      // App-only profile: the login worked, the store refused the app's submission as the mailbox.
      APP_SEND_DENIED: APP_SMTP_CODES.APP_SEND_DENIED,
      NEEDS_FLAG: { message: 'Not run: sending a test mail writes to the mailbox; pass --send-test-mail to allow it.' },
    },
  },
  async run(ctx) {
    if (!ctx.config.sendTestMail) return { status: 'skip', code: 'NEEDS_FLAG', skipReason: 'needs-flag' };
    const accessToken = await loginToken(ctx);
    const user = ctx.config.username;
    const sent = await ctx.clients.mail.sendTestMail({
      user,
      accessToken,
      signal: ctx.signal,
      from: user,
      to: user,
      subject: 'm365-doctor test message',
      text: 'This message was sent by m365-doctor --send-test-mail to prove the connector can send. It can be deleted.',
    });
    const data = { username: user, response: sent.response };
    const evidence = { response: sent.response };
    if (sent.accepted)
      return {
        status: 'pass',
        code: 'TEST_MAIL_SENT',
        data,
        evidence: isAppOnly(ctx) ? { ...evidence, mailboxPermission: 'proven' } : evidence,
      };
    if (isAppOnly(ctx) && NO_SEND_PERMISSION.test(sent.response)) {
      const token = await ctx.clients.tokens.appOnly('exchange');
      const appData = {
        ...data,
        mailbox: user,
        clientId: ctx.config.clientId,
        spObjectId: spObjectIdOf(token),
      };
      return {
        status: 'fail',
        code: 'APP_SEND_DENIED',
        data: appData,
        evidence: { ...evidence, mailboxPermission: 'denied' },
      };
    }
    if (/5\.7\.60|SendAsDenied/i.test(sent.response)) {
      // user-account knows the mailbox's addresses: the UPN not among them is why the store refuses it.
      const account = await ctx.settled('user-account');
      const mail = typeof account?.evidence.mail === 'string' ? account.evidence.mail : '';
      const notAddress = account?.code === 'UPN_NOT_AN_ADDRESS';
      const denied = {
        ...data,
        addressNote: notAddress ? ` ${user} is not an address of its mailbox (see user-account).` : '',
        primary: mail ? ` (its primary address is ${mail})` : '',
      };
      return {
        status: 'fail',
        code: 'SEND_AS_DENIED',
        data: denied,
        evidence,
        ...(notAddress ? { causedBy: 'user-account' } : {}),
      };
    }
    return { status: 'fail', code: 'SEND_REJECTED', data, evidence };
  },
});
