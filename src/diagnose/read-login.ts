// The judgement shared by imap-login and pop-login: a delegated XOAUTH2 login, then opening the mailbox.
import type { CheckContext, CodeText, Outcome } from '../check.js';
import type { MailLoginResult } from '../clients.js';
import { loginEvidence, loginWorked, notConnected, offersXoauth2 } from './mail-outcome.js';

export type ReadProtocol = 'imap' | 'pop';
const NAME: Record<ReadProtocol, string> = { imap: 'IMAP', pop: 'POP' };
const SWITCH: Record<ReadProtocol, string> = { imap: 'ImapEnabled', pop: 'PopEnabled' };
const FOLLOW_UP: Record<ReadProtocol, string> = { imap: 'EXAMINE INBOX', pop: 'STAT' };

/** IMAP_DISABLED_FOR_MAILBOX or POP_DISABLED_FOR_MAILBOX: stable public codes. */
export type DisabledCode<P extends ReadProtocol> = P extends 'imap' ? 'IMAP_DISABLED_FOR_MAILBOX' : 'POP_DISABLED_FOR_MAILBOX';
type CommonCode = 'LOGIN_OK' | 'AUTH_REJECTED' | 'NO_MAILBOX' | 'XOAUTH2_NOT_OFFERED' | 'MAILBOX_NOT_OPENED' | 'NOT_NEEDED';
export type ReadLoginCode<P extends ReadProtocol> = CommonCode | DisabledCode<P>;

export const disabledCode = <P extends ReadProtocol>(p: P) => `${NAME[p]}_DISABLED_FOR_MAILBOX` as DisabledCode<P>;

/** Code texts of a read-login check; the protocol fills in names and the Exchange switch. */
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
      remediation: 'The token was obtained and fits (ropc-scopes passed), so the server itself refuses it: check that {username} has a licensed mailbox (user-license), that the mailbox is not in another tenant or cloud, and that the connector sends user={username} in the XOAUTH2 string.',
    },
    NO_MAILBOX: {
      message: `Exchange refused the ${n} login ("{authLine}") because {username} has no mailbox (see user-license).`,
      remediation: 'Assign the user a licence with Exchange Online (Microsoft 365 Business Standard), wait for the mailbox to be created, then re-run.',
    },
    XOAUTH2_NOT_OFFERED: {
      message: `The ${n} server at {server} does not offer AUTH=XOAUTH2 (capabilities: {capabilities}).`,
      remediation: `Point --${p} at Exchange Online's ${n} endpoint for your cloud (e.g. outlook.office365.com:${p === 'imap' ? 993 : 995}); a proxy or another server in between does not speak XOAUTH2.`,
    },
    MAILBOX_NOT_OPENED: {
      message: `${n} login worked but ${FOLLOW_UP[p]} failed: "{afterAuthLine}".`,
      remediation: 'Run the check again; if it persists, open a ticket with Microsoft attaching this report.',
    },
    NOT_NEEDED: { message: `${n} is not among the chosen activities.` },
  } as Record<ReadLoginCode<P>, CodeText>;
}

export async function judgeReadLogin<P extends ReadProtocol>(ctx: CheckContext, p: P): Promise<Outcome<ReadLoginCode<P>>> {
  if (!ctx.config.activities.includes(p === 'imap' ? 'read-imap' : 'read-pop')) return { status: 'skip', code: 'NOT_NEEDED', skipReason: 'not-applicable' };
  const token = await ctx.clients.tokens.ropc();
  const request = { user: ctx.config.username, accessToken: token.accessToken, signal: ctx.signal };
  const result: MailLoginResult = p === 'imap' ? await ctx.clients.mail.imap(request) : await ctx.clients.mail.pop(request);
  return { ...(await classifyReadLogin(ctx, p, result)), evidence: loginEvidence(result) };
}

async function classifyReadLogin<P extends ReadProtocol>(ctx: CheckContext, p: P, r: MailLoginResult): Promise<Outcome<ReadLoginCode<P>>> {
  const data = {
    username: ctx.config.username, authLine: r.authLine, afterAuthLine: r.afterAuthLine ?? '',
    server: `${r.endpoint.host}:${r.endpoint.port}`, capabilities: r.capabilities.join(' '),
  };
  if (loginWorked(r)) return { status: 'pass', code: 'LOGIN_OK', data };
  if (notConnected(r)) return { status: 'fail', code: disabledCode(p), data };
  if (r.authenticated) return { status: 'fail', code: 'MAILBOX_NOT_OPENED', data };
  if (!offersXoauth2(r)) return { status: 'fail', code: 'XOAUTH2_NOT_OFFERED', data };
  // Only a refused token needs user-license (consulted, not awaited up front), so only this path waits for it.
  if ((await ctx.settled('user-license'))?.status === 'fail') return { status: 'fail', code: 'NO_MAILBOX', data };
  return { status: 'fail', code: 'AUTH_REJECTED', data };
}
