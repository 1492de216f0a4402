// smtp-login: SMTP submission with STARTTLS, then AUTH XOAUTH2 with the ROPC token. Never sends mail.
import { advisory, advisoryText } from '../src/advisories.js';
import { defineCheck } from '../src/check.js';
import { loginDependencies, tokenCauseCodes } from '../src/diagnose/read-login.js';
import { loginToken, mailboxCause, tokenCause, userMismatchCause } from '../src/diagnose/login-token.js';
import { loginEvidence, offersXoauth2, SMTP_AUTH_DISABLED_MAILBOX, SMTP_AUTH_DISABLED_TENANT } from '../src/diagnose/mail-outcome.js';

export default defineCheck({
  meta: {
    id: 'smtp-login',
    title: 'SMTP AUTH with XOAUTH2',
    category: 'exchange',
    // Its input is a token: the ROPC one (app-only profile: the app's). A token that lacks SMTP.Send is still tried.
    dependsOn: ['ropc-token', 'app-credentials'],
    hardDependencies: loginDependencies,
    // Read only to explain a refusal: a missing scope or role, a missing licence.
    consults: ['ropc-scopes', 'app-roles-exchange', 'user-license'],
    description: 'Does what the connector does before sending: EHLO, STARTTLS, EHLO, AUTH XOAUTH2 with the ROPC token (app-only profile: the app-only token with SMTP.SendAsApp), then QUIT ' +
      '(no mail is sent). SMTP AUTH is off by default for tenants created after January 2020, and the switch blocks OAuth too; ' +
      'Exchange says which switch (tenant or mailbox) refused the login.',
    codes: {
      SMTP_OK: { message: 'SMTP AUTH XOAUTH2 as {username} accepted: "{authLine}".' },
      SMTP_AUTH_DISABLED_TENANT: {
        message: 'SMTP AUTH is disabled for the whole tenant: "{authLine}".',
        remediation: 'Enable it for this mailbox only (preferred): Connect-ExchangeOnline; Set-CASMailbox -Identity {username} -SmtpClientAuthenticationDisabled $false. Or for the tenant: Set-TransportConfig -SmtpClientAuthenticationDisabled $false. (Exchange admin center > Mailboxes > {username} > Manage email apps > Authenticated SMTP.)',
      },
      SMTP_AUTH_DISABLED_MAILBOX: {
        message: 'SMTP AUTH is disabled for the mailbox {username}: "{authLine}".',
        remediation: 'Connect-ExchangeOnline; Set-CASMailbox -Identity {username} -SmtpClientAuthenticationDisabled $false (or $null to follow the tenant setting). Check with Get-CASMailbox {username} | fl SmtpClientAuthenticationDisabled.',
      },
      AUTH_REJECTED: {
        message: 'The SMTP server at {server} refused the token: "{authLine}".',
        remediation: 'The token was obtained and its token check found nothing missing for SMTP, so the server itself refuses it: in the app-only profile check New-ServicePrincipal and FullAccess for the app; check that {username} has a licensed mailbox (user-license) and that the connector sends user={username} in the XOAUTH2 string.',
      },
      NO_MAILBOX: {
        message: 'Exchange refused SMTP AUTH ("{authLine}") because {username} has no mailbox (see user-license).',
        remediation: 'Assign the user a licence with Exchange Online (Microsoft 365 Business Standard), then re-run.',
      },
      XOAUTH2_NOT_OFFERED: {
        message: 'The SMTP server at {server} does not offer AUTH XOAUTH2 after STARTTLS (capabilities: {capabilities}).',
        remediation: 'Point --smtp at Exchange Online\'s submission endpoint (smtp.office365.com:587 for the global cloud); a relay or proxy in between does not speak XOAUTH2.',
      },
      STARTTLS_REFUSED: {
        message: 'The SMTP server at {server} refused STARTTLS ("{authLine}"), so the token was not sent: it never crosses the network in clear.',
        remediation: 'Point --smtp at Exchange Online\'s submission endpoint (smtp.office365.com:587 for the global cloud), which always offers STARTTLS; a relay or proxy in between may not.',
      },
      NOT_NEEDED: { message: 'Sending is not among the chosen activities.' },
      ...tokenCauseCodes('SMTP'),
    },
  },
  // Banner, EHLO, STARTTLS and EHLO need no token: they overlap the token requests.
  prepare(ctx) { if (ctx.config.activities.includes('send-smtp')) ctx.clients.mail.preconnect?.('smtp'); },
  async run(ctx) {
    if (!ctx.config.activities.includes('send-smtp')) return { status: 'skip', code: 'NOT_NEEDED', skipReason: 'not-applicable' };
    const r = await ctx.clients.mail.smtp({ user: ctx.config.username, accessToken: await loginToken(ctx), signal: ctx.signal });
    const evidence = {
      ...loginEvidence(r),
      advisory: advisoryText(advisory('smtp-basic-auth')),
    };
    const data = { username: ctx.config.username, authLine: r.authLine, server: `${r.endpoint.host}:${r.endpoint.port}`, capabilities: r.capabilities.join(' '), clientId: ctx.config.clientId };
    if (r.authenticated) return { status: 'pass', code: 'SMTP_OK', data, evidence };
    if (r.phase === 'starttls') return { status: 'fail', code: 'STARTTLS_REFUSED', data, evidence };
    if (SMTP_AUTH_DISABLED_TENANT.test(r.authLine)) return { status: 'fail', code: 'SMTP_AUTH_DISABLED_TENANT', data, evidence };
    if (SMTP_AUTH_DISABLED_MAILBOX.test(r.authLine)) return { status: 'fail', code: 'SMTP_AUTH_DISABLED_MAILBOX', data, evidence };
    if (!offersXoauth2(r)) return { status: 'fail', code: 'XOAUTH2_NOT_OFFERED', data, evidence };
    // Only a refused token needs the consulted checks, so only this path waits for them.
    const token = await tokenCause(ctx, 'smtp');
    if (token) return { status: 'fail', code: token.code, data: { ...data, permission: token.permission }, evidence, causedBy: token.causedBy };
    const mailbox = await mailboxCause(ctx);
    if (mailbox) return { status: 'fail', code: 'NO_MAILBOX', data, evidence, causedBy: mailbox };
    const mismatch = await userMismatchCause(ctx);
    return { status: 'fail', code: 'AUTH_REJECTED', data, evidence, ...(mismatch ? { causedBy: mismatch } : {}) };
  },
});
