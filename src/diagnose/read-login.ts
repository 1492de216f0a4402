// The judgement shared by imap-login and pop-login: a delegated XOAUTH2 login, then opening the mailbox.
import type { CheckContext, CodeText, Outcome } from '../core/check.js';
import { formatHostPort } from '../config/validate.js';
import type { MailLoginResult } from '../clients/types.js';
import { loginEvidence, loginWorked, notConnected, offersXoauth2 } from './mail-outcome.js';
import {
  loginToken,
  mailboxCause,
  tokenCause,
  tokenUnreadable,
  unknownUser,
  userMismatchCause,
} from './login-token.js';
import { isAppOnly } from './profile.js';

export type ReadProtocol = 'imap' | 'pop';
const NAME: Record<ReadProtocol, string> = { imap: 'IMAP', pop: 'POP' };
const SWITCH: Record<ReadProtocol, string> = { imap: 'ImapEnabled', pop: 'PopEnabled' };
const FOLLOW_UP: Record<ReadProtocol, string> = { imap: 'EXAMINE INBOX', pop: 'STAT' };

/** IMAP_DISABLED_FOR_MAILBOX or POP_DISABLED_FOR_MAILBOX: stable public codes. */
export type DisabledCode<P extends ReadProtocol> = P extends 'imap'
  ? 'IMAP_DISABLED_FOR_MAILBOX'
  : 'POP_DISABLED_FOR_MAILBOX';
type CommonCode =
  | 'LOGIN_OK'
  | 'AUTH_REJECTED'
  | 'NO_MAILBOX'
  | 'UNKNOWN_MAILBOX'
  | 'XOAUTH2_NOT_OFFERED'
  | 'MAILBOX_NOT_OPENED'
  | 'NOT_NEEDED'
  | TokenCode
  | 'APP_NOT_REGISTERED'
  | 'APP_MAILBOX_NOT_OPENED';
/** Refusals explained by a token check (ropc-scopes, app-roles-exchange), shared with smtp-login. */
export type TokenCode = 'SCOPE_MISSING' | 'WRONG_TOKEN_AUDIENCE' | 'ROLE_MISSING';
export type ReadLoginCode<P extends ReadProtocol> = CommonCode | DisabledCode<P>;

const DISABLED: { [P in ReadProtocol]: DisabledCode<P> } = {
  imap: 'IMAP_DISABLED_FOR_MAILBOX',
  pop: 'POP_DISABLED_FOR_MAILBOX',
};
export const disabledCode = <P extends ReadProtocol>(p: P): DisabledCode<P> => DISABLED[p];

/** A login (app-only: it runs without a user's sign-in) refused because the named user does not exist. */
export function unknownMailboxText(n: string): CodeText {
  return {
    message: `Exchange refused the ${n} login ("{authLine}"): {username} is no user of this tenant (see user-account), so there is no mailbox to open.`,
    remediation:
      'Give the connector the address of an existing mailbox of this tenant (Exchange admin center > Mailboxes), as XOAUTH2 user=.',
  };
}

/** Code texts of a read-login check; the protocol fills in names and the Exchange switch. Each check lists them by name. */
export function readLoginCodes<P extends ReadProtocol>(p: P): Record<ReadLoginCode<P>, CodeText> {
  const n = NAME[p];
  return {
    LOGIN_OK: { message: `${n} XOAUTH2 login as {username} worked and ${FOLLOW_UP[p]} answered: {afterAuthLine}` },
    [disabledCode(p)]: {
      message: `${n} accepted the token but will not open the mailbox ("{afterAuthLine}"): ${n} is disabled for {username}.`,
      remediation: `In Exchange Online PowerShell: Connect-ExchangeOnline; Set-CASMailbox -Identity {username} -${SWITCH[p]} $true (or Exchange admin center > Mailboxes > {username} > Manage email apps > ${n}). Check with Get-CASMailbox {username} | fl ${SWITCH[p]}.`,
    },
    AUTH_REJECTED: {
      message: `The ${n} server at {server} refused the token: "{authLine}".`,
      remediation:
        'The token was obtained and its token check (ropc-scopes; app-only: app-roles-exchange) found nothing missing for this protocol, or could not read an opaque token, so nothing here explains the refusal: check the consented permissions (admin-consent), that {username} has a licensed mailbox (user-license), that the mailbox is not in another tenant or cloud, and that the connector sends user={username} in the XOAUTH2 string.',
    },
    NO_MAILBOX: {
      message: `Exchange refused the ${n} login ("{authLine}") because {username} has no mailbox (see user-license).`,
      remediation:
        'Assign the user a licence with Exchange Online (Microsoft 365 Business Standard), wait for the mailbox to be created, then re-run.',
    },
    UNKNOWN_MAILBOX: unknownMailboxText(n),
    XOAUTH2_NOT_OFFERED: {
      message: `The ${n} server at {server} does not offer AUTH=XOAUTH2 (capabilities: {capabilities}).`,
      remediation: `Point --${p} at Exchange Online's ${n} endpoint for your cloud (e.g. outlook.office365.com:${p === 'imap' ? 993 : 995}); a proxy or another server in between does not speak XOAUTH2.`,
    },
    MAILBOX_NOT_OPENED: {
      message: `${n} login worked but ${FOLLOW_UP[p]} failed: "{afterAuthLine}".`,
      remediation: 'Run the check again; if it persists, open a ticket with Microsoft attaching this report.',
    },
    NOT_NEEDED: { message: `${n} is not among the chosen activities.` },
    ...tokenCauseCodes(n),
    APP_NOT_REGISTERED: {
      message: `The ${n} server at {server} refused the app-only token ("{authLine}"): the app's service principal is not registered in Exchange, or with the wrong object id.`,
      remediation:
        'Connect-ExchangeOnline; New-ServicePrincipal -AppId {clientId} -ObjectId <object id of the enterprise application, not of the app registration>; Add-MailboxPermission -Identity {username} -User <that object id> -AccessRights FullAccess.',
    },
    APP_MAILBOX_NOT_OPENED: {
      message: `The app signed in to ${n} but cannot open {username} ("{afterAuthLine}"): it has no FullAccess on the mailbox, or ${n} is disabled for it.`,
      remediation: `Connect-ExchangeOnline; Get-MailboxPermission {username} shows whether the app's service principal has FullAccess (else Add-MailboxPermission -Identity {username} -User <enterprise application object id> -AccessRights FullAccess); Get-CASMailbox {username} | fl ${SWITCH[p]} shows the protocol switch (Set-CASMailbox -Identity {username} -${SWITCH[p]} $true).`,
    },
  } as Record<ReadLoginCode<P>, CodeText>;
}

/** Code texts of a refusal a token check explains; `n` names the protocol. */
export function tokenCauseCodes(n: string): Record<TokenCode, CodeText> {
  return {
    SCOPE_MISSING: {
      message: `Exchange refused the ${n} login ("{authLine}"): the token lacks {permission}, as ropc-scopes found.`,
      remediation:
        'Fix ropc-scopes: add the delegated permission {permission} to app {clientId}, grant admin consent, and request it in the token request.',
    },
    WRONG_TOKEN_AUDIENCE: {
      message: `Exchange refused the ${n} login ("{authLine}"): the token is for {permission}, not Exchange Online, as ropc-scopes found.`,
      remediation:
        'Fix ropc-scopes: request the Exchange scopes (https://outlook.office.com/...), not Microsoft Graph ones.',
    },
    ROLE_MISSING: {
      message: `Exchange refused the app-only ${n} login ("{authLine}"): the token lacks the application permission {permission}, as app-roles-exchange found.`,
      remediation:
        'Fix app-roles-exchange: add Office 365 Exchange Online > Application permissions > {permission} to app {clientId} and grant admin consent.',
    },
  };
}

/** The logins need a token: the ROPC one, or in the app-only profile the app's (its input is the app's secret). */
export const loginDependencies = (config: { profile?: string }) =>
  config.profile === 'app-only' ? ['app-credentials'] : ['ropc-token'];

export async function judgeReadLogin<P extends ReadProtocol>(
  ctx: CheckContext,
  p: P,
): Promise<Outcome<ReadLoginCode<P>>> {
  if (!ctx.config.activities.includes(p === 'imap' ? 'read-imap' : 'read-pop'))
    return { status: 'skip', code: 'NOT_NEEDED', skipReason: 'not-applicable' };
  const request = { user: ctx.config.username, accessToken: await loginToken(ctx), signal: ctx.signal };
  const result: MailLoginResult =
    p === 'imap' ? await ctx.clients.mail.imap(request) : await ctx.clients.mail.pop(request);
  const outcome = await classifyReadLogin(ctx, p, result);
  return { ...outcome, ...(await sameAppOnlyCause(ctx, p, outcome)), evidence: loginEvidence(result) };
}

/** App-only codes whose cause (the Exchange registration, the mailbox permission) is one for both protocols. */
const APP_ONLY_SHARED = ['APP_NOT_REGISTERED', 'APP_MAILBOX_NOT_OPENED'];

/** POP refused as IMAP was, for the same app-only reason: imap-login's finding is the one cause. */
async function sameAppOnlyCause(
  ctx: CheckContext,
  p: ReadProtocol,
  o: Outcome<string>,
): Promise<{ causedBy?: string }> {
  if (p !== 'pop' || o.status !== 'fail' || o.causedBy || !APP_ONLY_SHARED.includes(o.code)) return {};
  const imap = await ctx.settled('imap-login');
  return imap?.status === 'fail' && imap.code === o.code ? { causedBy: 'imap-login' } : {};
}

async function classifyReadLogin<P extends ReadProtocol>(
  ctx: CheckContext,
  p: P,
  r: MailLoginResult,
): Promise<Outcome<ReadLoginCode<P>>> {
  const data = {
    username: ctx.config.username,
    authLine: r.authLine,
    afterAuthLine: r.afterAuthLine ?? '',
    server: formatHostPort(r.endpoint),
    capabilities: r.capabilities.join(' '),
    clientId: ctx.config.clientId,
  };
  const appOnly = isAppOnly(ctx);
  if (loginWorked(r)) return { status: 'pass', code: 'LOGIN_OK', data };
  // App-only: "not connected" is either the protocol switch or missing FullAccess; the wire cannot tell them apart.
  if (notConnected(r)) return { status: 'fail', code: appOnly ? 'APP_MAILBOX_NOT_OPENED' : disabledCode(p), data };
  if (r.authenticated) return { status: 'fail', code: 'MAILBOX_NOT_OPENED', data };
  if (!offersXoauth2(r)) return { status: 'fail', code: 'XOAUTH2_NOT_OFFERED', data };
  // Only a refused token needs the consulted checks (not awaited up front), so only this path waits for them.
  const token = await tokenCause(ctx, p);
  if (token)
    return {
      status: 'fail',
      code: token.code,
      data: { ...data, permission: token.permission },
      causedBy: token.causedBy,
    };
  const mailbox = await mailboxCause(ctx);
  if (mailbox) return { status: 'fail', code: 'NO_MAILBOX', data, causedBy: mailbox };
  if (await unknownUser(ctx)) return { status: 'fail', code: 'UNKNOWN_MAILBOX', data, causedBy: 'user-account' };
  const mismatch = await userMismatchCause(ctx);
  // App-only: a readable token holding the role and still refused points at the Exchange registration; an opaque one
  // proves nothing about the role, so the refusal stays unexplained rather than blamed on the registration.
  const registration = appOnly && !(await tokenUnreadable(ctx));
  return {
    status: 'fail',
    code: registration ? 'APP_NOT_REGISTERED' : 'AUTH_REJECTED',
    data,
    ...(mismatch ? { causedBy: mismatch } : {}),
  };
}
