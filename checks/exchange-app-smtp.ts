// exchange-app-smtp: when the app holds SMTP.SendAsApp, an app-only SMTP AUTH as the mailbox proves Exchange's side.
import { defineCheck } from '../src/core/check.js';
import { readRoles } from '../src/auth/claims.js';
import { APP_SMTP_CODES, appObjectIds, appSmtpEvidence, SEND_AS_APP } from '../src/diagnose/app-smtp.js';
import { appMailboxCause } from '../src/diagnose/login-token.js';
import { loginEvidence } from '../src/diagnose/mail-outcome.js';
import { NOT_IN_PROFILE, notInProfile } from '../src/diagnose/profile.js';
import { skipForUnknownUser } from '../src/diagnose/unknown-user.js';

/** smtp-login's codes for a server that refused before or regardless of the token: the same server refuses this login. */
const SERVER_REFUSALS = [
  'SMTP_AUTH_DISABLED_TENANT',
  'SMTP_AUTH_DISABLED_MAILBOX',
  'XOAUTH2_NOT_OFFERED',
  'STARTTLS_REFUSED',
];

export default defineCheck({
  meta: {
    id: 'exchange-app-smtp',
    title: 'App-only SMTP (SMTP.SendAsApp)',
    category: 'exchange',
    // Its input is the app-only Exchange token, which needs the app's valid credentials.
    dependsOn: ['app-credentials'],
    after: ['user-account'],
    // Read only to explain a refusal or to name the app registration's object id; exchange-app-access, when its
    // app-only IMAP login found the same missing registration, is that one cause seen first.
    consults: ['app-registration', 'user-license', 'smtp-login', 'exchange-app-access'],
    description:
      'When the app holds SMTP.SendAsApp (an app-only sender), logs into SMTP submission with the client-credentials token as the ' +
      "mailbox (EHLO, STARTTLS, AUTH XOAUTH2, QUIT; no mail is sent). Exchange accepts it only if the app's service principal was " +
      "registered with New-ServicePrincipal under the enterprise application's object id; whether the app may send as the mailbox " +
      '(FullAccess, Send As or RBAC for Applications) Exchange checks only when a message is submitted.',
    codes: {
      APP_SMTP_OK: {
        message:
          'App-only SMTP AUTH as {mailbox} accepted ("{authLine}"): the service principal is registered in Exchange. Exchange checks the right to send as the mailbox when a message is submitted; this login did not submit one.',
      },
      EXCHANGE_SP_NOT_REGISTERED: {
        message: APP_SMTP_CODES.APP_NOT_REGISTERED.message,
        remediation: APP_SMTP_CODES.APP_NOT_REGISTERED.remediation,
      },
      SMTP_REFUSED: {
        message: 'The SMTP server refused the app-only login as it refused smtp-login ("{authLine}").',
        remediation: 'Fix smtp-login first (the SMTP AUTH switch or the endpoint), then re-run.',
      },
      NO_MAILBOX: {
        message: 'Exchange refused the app-only SMTP login ("{authLine}"): {mailbox} has no mailbox, as {check} found.',
        remediation: 'Fix {check} first (a licensed, enabled member account has a mailbox), then re-run.',
      },
      NOT_HELD: {
        message:
          "Not run: the app does not hold SMTP.SendAsApp (token roles: {roles}), so it does not send app-only; smtp-login covers sending with the user's token.",
      },
      NOT_NEEDED: { message: 'Sending is not among the chosen activities.' },
      NO_USABLE_MAILBOX: {
        message: 'Not checked: user-account found no user {mailbox}, so an app-only login would prove nothing.',
      },
      NOT_IN_PROFILE,
    },
  },
  async run(ctx) {
    if (!ctx.config.activities.includes('send-smtp'))
      return { status: 'skip', code: 'NOT_NEEDED', skipReason: 'not-applicable' };
    if (ctx.config.profile === 'delegated')
      return notInProfile(ctx, "the delegated profile sends with the user's token only");
    if (ctx.config.profile === 'app-only')
      return notInProfile(ctx, 'smtp-login already logs in with the app-only token');
    const mailbox = ctx.config.username;
    const noUser = skipForUnknownUser(ctx, 'NO_USABLE_MAILBOX', { mailbox });
    if (noUser) return noUser;
    const token = await ctx.clients.tokens.appOnly('exchange');
    const roles = readRoles(token.claims) ?? [];
    if (!roles.includes(SEND_AS_APP))
      return {
        status: 'skip',
        code: 'NOT_HELD',
        skipReason: 'not-applicable',
        data: { roles: roles.join(', ') || 'none' },
      };

    const r = await ctx.clients.mail.smtp({ user: mailbox, accessToken: token.accessToken, signal: ctx.signal });
    const ids = await appObjectIds(ctx, token);
    const data = { mailbox, clientId: ctx.config.clientId, authLine: r.authLine, ...ids };
    const facts = {
      tokenRoles: roles,
      holdsSendAsApp: true,
      servicePrincipalObjectId: ids.spObjectId,
      appRegistrationObjectId: ids.appObjectId,
      mailboxPermission: 'unproven' as const,
    };
    const evidence = (registered: boolean | null) => ({
      ...loginEvidence(r),
      ...appSmtpEvidence({ ...facts, servicePrincipalRegistered: registered }),
    });
    if (r.authenticated) return { status: 'pass', code: 'APP_SMTP_OK', data, evidence: evidence(true) };
    const login = await ctx.settled('smtp-login');
    if (login?.status === 'fail' && SERVER_REFUSALS.includes(login.code ?? '')) {
      return { status: 'fail', code: 'SMTP_REFUSED', data, evidence: evidence(null), causedBy: 'smtp-login' };
    }
    const mailboxCheck = await appMailboxCause(ctx);
    if (mailboxCheck)
      return {
        status: 'fail',
        code: 'NO_MAILBOX',
        data: { ...data, check: mailboxCheck },
        evidence: evidence(null),
        causedBy: mailboxCheck,
      };
    const imap = await ctx.settled('exchange-app-access');
    const same = imap?.status === 'fail' && imap.code === 'EXCHANGE_SP_NOT_REGISTERED';
    return {
      status: 'fail',
      code: 'EXCHANGE_SP_NOT_REGISTERED',
      data,
      evidence: evidence(false),
      ...(same ? { causedBy: 'exchange-app-access' } : {}),
    };
  },
});
