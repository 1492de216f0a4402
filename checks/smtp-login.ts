// smtp-login: SMTP submission with STARTTLS, then AUTH XOAUTH2 with the ROPC token. Never sends mail.
import { advisory, advisoryText } from '../src/m365/advisories.js';
import { formatHostPort } from '../src/config/validate.js';
import { defineCheck, type CheckContext, type CodeText, type Evidence, type Outcome } from '../src/core/check.js';
import type { MailLoginResult } from '../src/clients/types.js';
import { loginDependencies, tokenCauseCodes, unknownMailboxText } from '../src/diagnose/read-login.js';
import { loginToken, mailboxCause, tokenCause, unknownUser, userMismatchCause } from '../src/diagnose/login-token.js';
import { readRoles } from '../src/auth/claims.js';
import { APP_SMTP_CODES, appObjectIds, appSmtpEvidence, SEND_AS_APP } from '../src/diagnose/app-smtp.js';
import { loginEvidence, offersXoauth2, smtpAuthDisabled, starttlsRefused } from '../src/diagnose/mail-outcome.js';
import { isAppOnly } from '../src/diagnose/profile.js';

const tokenCauseText = tokenCauseCodes('SMTP');

const CODES = {
  SMTP_OK: { message: 'SMTP AUTH XOAUTH2 as {username} accepted: "{authLine}".' },
  SMTP_AUTH_DISABLED_TENANT: {
    message: 'SMTP AUTH is disabled for the whole tenant: "{authLine}".',
    remediation:
      'Enable it for this mailbox only (preferred): Connect-ExchangeOnline; Set-CASMailbox -Identity {username} -SmtpClientAuthenticationDisabled $false. Or for the tenant: Set-TransportConfig -SmtpClientAuthenticationDisabled $false. (Exchange admin center > Mailboxes > {username} > Manage email apps > Authenticated SMTP.)',
  },
  SMTP_AUTH_DISABLED_MAILBOX: {
    message: 'SMTP AUTH is disabled for the mailbox {username}: "{authLine}".',
    remediation:
      'Connect-ExchangeOnline; Set-CASMailbox -Identity {username} -SmtpClientAuthenticationDisabled $false (or $null to follow the tenant setting). Check with Get-CASMailbox {username} | fl SmtpClientAuthenticationDisabled.',
  },
  AUTH_REJECTED: {
    message: 'The SMTP server at {server} refused the token: "{authLine}".',
    remediation:
      'The token was obtained and its token check found nothing missing for SMTP, so the server itself refuses it: in the app-only profile check New-ServicePrincipal and FullAccess for the app; check that {username} has a licensed mailbox (user-license) and that the connector sends user={username} in the XOAUTH2 string.',
  },
  NO_MAILBOX: {
    message: 'Exchange refused SMTP AUTH ("{authLine}") because {username} has no mailbox (see user-license).',
    remediation: 'Assign the user a licence with Exchange Online (Microsoft 365 Business Standard), then re-run.',
  },
  UNKNOWN_MAILBOX: unknownMailboxText('SMTP'),
  XOAUTH2_NOT_OFFERED: {
    message: 'The SMTP server at {server} does not offer AUTH XOAUTH2 after STARTTLS (capabilities: {capabilities}).',
    remediation:
      "Point --smtp at Exchange Online's submission endpoint (smtp.office365.com:587 for the global cloud); a relay or proxy in between does not speak XOAUTH2.",
  },
  STARTTLS_REFUSED: {
    message:
      'The SMTP server at {server} refused STARTTLS ("{authLine}"), so the token was not sent: it never crosses the network in clear.',
    remediation:
      "Point --smtp at Exchange Online's submission endpoint (smtp.office365.com:587 for the global cloud), which always offers STARTTLS; a relay or proxy in between may not.",
  },
  NOT_NEEDED: { message: 'Sending is not among the chosen activities.' },
  SCOPE_MISSING: tokenCauseText.SCOPE_MISSING,
  WRONG_TOKEN_AUDIENCE: tokenCauseText.WRONG_TOKEN_AUDIENCE,
  // App-only profile only: smtp-login's own finding (the token's roles and Exchange's refusal), since the role may
  // also come from RBAC for Applications (https://learn.microsoft.com/exchange/client-developer/legacy-protocols/smtp-app-rbac-onboarding).
  ROLE_MISSING: {
    message:
      'Exchange refused the app-only SMTP login ("{authLine}"): the token lacks the application permission {permission}, and no RBAC for Applications assignment grants it for {mailbox}.',
    remediation:
      'Either consent it: Entra admin center > App registrations > {clientId} > API permissions > Add a permission > Office 365 Exchange Online > Application permissions > {permission}; ' +
      'then "Grant admin consent", and register the app in Exchange with FullAccess or Send As on {mailbox}. Or, to limit the app to chosen mailboxes without that unscoped permission, ' +
      'assign the Exchange role "Application SMTP.SendAsApp" with a management scope (RBAC for Applications): Connect-ExchangeOnline; ' +
      'New-ServicePrincipal -AppId {clientId} -ObjectId {spObjectId} -DisplayName "m365-doctor connector"; ' +
      'New-ManagementScope -Name "m365-doctor connector mailboxes" -RecipientRestrictionFilter "PrimarySmtpAddress -eq \'{mailbox}\'"; ' +
      'New-ManagementRoleAssignment -Name "m365-doctor connector SMTP" -App {clientId} -Role "Application SMTP.SendAsApp" -CustomResourceScope "m365-doctor connector mailboxes". ' +
      'Check with Test-ServicePrincipalAuthorization -Identity {spObjectId} -Resource {mailbox}',
  },
  // App-only profile: a token holding SMTP.SendAsApp that Exchange still refuses.
  APP_NOT_REGISTERED: APP_SMTP_CODES.APP_NOT_REGISTERED,
} satisfies Record<string, CodeText>;
type SmtpLoginCode = keyof typeof CODES;

export default defineCheck({
  meta: {
    id: 'smtp-login',
    title: 'SMTP AUTH with XOAUTH2',
    category: 'exchange',
    // Its input is a token: the ROPC one (app-only profile: the app's). A token that lacks SMTP.Send is still tried.
    dependsOn: ['ropc-token', 'app-credentials'],
    hardDependencies: loginDependencies,
    // Read only to explain a refusal (a missing scope, a missing licence, a user name that is not the UPN) or,
    // in the app-only profile, to name the app registration's object id.
    consults: ['ropc-scopes', 'user-license', 'user-account', 'app-registration', 'imap-login', 'pop-login'],
    description:
      'Does what the connector does before sending: EHLO, STARTTLS, EHLO, AUTH XOAUTH2 with the ROPC token (app-only profile: the app-only token with SMTP.SendAsApp), then QUIT ' +
      '(no mail is sent). SMTP AUTH is off by default for tenants created after January 2020, and the switch blocks OAuth too; ' +
      'Exchange says which switch (tenant or mailbox) refused the login.',
    codes: CODES,
  },
  // Banner, EHLO, STARTTLS and EHLO need no token: they overlap the token requests.
  prepare(ctx) {
    if (ctx.config.activities.includes('send-smtp')) ctx.clients.mail.preconnect?.('smtp');
  },
  async run(ctx) {
    if (!ctx.config.activities.includes('send-smtp'))
      return { status: 'skip', code: 'NOT_NEEDED', skipReason: 'not-applicable' };
    const r = await ctx.clients.mail.smtp({
      user: ctx.config.username,
      accessToken: await loginToken(ctx),
      signal: ctx.signal,
    });
    const evidence = {
      ...loginEvidence(r),
      advisory: advisoryText(advisory('smtp-basic-auth')),
    };
    const data = {
      username: ctx.config.username,
      authLine: r.authLine,
      server: formatHostPort(r.endpoint),
      capabilities: r.capabilities.join(' '),
      clientId: ctx.config.clientId,
    };
    if (isAppOnly(ctx)) return judgeAppOnly(ctx, r, data, evidence);
    if (r.authenticated) return { status: 'pass', code: 'SMTP_OK', data, evidence };
    return (
      serverRefusal(r, data, evidence) ??
      (await tokenRefusal(ctx, data, evidence)) ??
      (await otherRefusal(ctx, data, evidence))
    );
  },
});

type Data = Record<string, string>;
type Ev = Record<string, Evidence>;

/** Refusals that do not depend on the token: STARTTLS, the SMTP AUTH switch, no XOAUTH2. */
function serverRefusal(r: MailLoginResult, data: Data, evidence: Ev): Outcome<SmtpLoginCode> | undefined {
  if (starttlsRefused(r)) return { status: 'fail', code: 'STARTTLS_REFUSED', data, evidence };
  const disabled = smtpAuthDisabled(r);
  if (disabled === 'tenant') return { status: 'fail', code: 'SMTP_AUTH_DISABLED_TENANT', data, evidence };
  if (disabled === 'mailbox') return { status: 'fail', code: 'SMTP_AUTH_DISABLED_MAILBOX', data, evidence };
  if (!offersXoauth2(r)) return { status: 'fail', code: 'XOAUTH2_NOT_OFFERED', data, evidence };
  return undefined;
}

/** A refused token explained by the consulted checks: a missing scope or role, no mailbox. Only this path waits for them. */
async function tokenRefusal(ctx: CheckContext, data: Data, evidence: Ev): Promise<Outcome<SmtpLoginCode> | undefined> {
  const token = await tokenCause(ctx, 'smtp');
  if (token)
    return {
      status: 'fail',
      code: token.code,
      data: { ...data, permission: token.permission },
      evidence,
      causedBy: token.causedBy,
    };
  const mailbox = await mailboxCause(ctx);
  if (mailbox) return { status: 'fail', code: 'NO_MAILBOX', data, evidence, causedBy: mailbox };
  if (await unknownUser(ctx))
    return { status: 'fail', code: 'UNKNOWN_MAILBOX', data, evidence, causedBy: 'user-account' };
  return undefined;
}

/** Nothing in the token or the directory explains it: the server's own refusal. */
async function otherRefusal(ctx: CheckContext, data: Data, evidence: Ev): Promise<Outcome<SmtpLoginCode>> {
  // Exchange SMTP compares user= with the token's UPN: a mail address that is not the UPN is refused.
  // Without that finding, a token ropc-scopes found issued to another user is the cause.
  const cause =
    (await ctx.settled('user-account'))?.code === 'USERNAME_NOT_UPN' ? 'user-account' : await userMismatchCause(ctx);
  return { status: 'fail', code: 'AUTH_REJECTED', data, evidence, ...(cause ? { causedBy: cause } : {}) };
}

/** App-only profile: the same reading, plus the facts of Exchange's SMTP.SendAsApp set-up in the evidence. */
async function judgeAppOnly(
  ctx: CheckContext,
  r: MailLoginResult,
  data: Data,
  evidence: Ev,
): Promise<Outcome<SmtpLoginCode>> {
  const token = await ctx.clients.tokens.appOnly('exchange');
  const roles = readRoles(token.claims) ?? [];
  const ids = await appObjectIds(ctx, token);
  const facts = (registered: boolean | null) => ({
    ...evidence,
    ...appSmtpEvidence({
      tokenRoles: roles,
      holdsSendAsApp: roles.includes(SEND_AS_APP),
      servicePrincipalRegistered: registered,
      servicePrincipalObjectId: ids.spObjectId,
      appRegistrationObjectId: ids.appObjectId,
      mailboxPermission: 'unproven',
    }),
  });
  const appData = { ...data, mailbox: ctx.config.username, ...ids };
  if (r.authenticated) return { status: 'pass', code: 'SMTP_OK', data: appData, evidence: facts(true) };
  const server = serverRefusal(r, appData, facts(null));
  if (server) return server;
  // Without the role in the token Exchange accepts the login only through an RBAC for Applications assignment: this
  // login's own evidence decides it, so app-roles-exchange (which cannot see Exchange's RBAC) is not consulted.
  if (!roles.includes(SEND_AS_APP))
    return {
      status: 'fail',
      code: 'ROLE_MISSING',
      data: { ...appData, permission: SEND_AS_APP },
      evidence: facts(null),
    };
  const mailbox = await mailboxCause(ctx);
  if (mailbox) return { status: 'fail', code: 'NO_MAILBOX', data: appData, evidence: facts(null), causedBy: mailbox };
  if (await unknownUser(ctx))
    return { status: 'fail', code: 'UNKNOWN_MAILBOX', data: appData, evidence: facts(null), causedBy: 'user-account' };
  // The role is in the token and Exchange still refuses it: the registration (missing or under the wrong id).
  // The registration is one for every protocol: a read login that found it missing is the one cause.
  const read = await Promise.all(['imap-login', 'pop-login'].map((id) => ctx.settled(id)));
  const found = read.find((r) => r?.status === 'fail' && r.code === 'APP_NOT_REGISTERED' && !r.causedBy);
  return {
    status: 'fail',
    code: 'APP_NOT_REGISTERED',
    data: appData,
    evidence: facts(false),
    ...(found ? { causedBy: found.id } : {}),
  };
}
