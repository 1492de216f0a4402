// The token a mail login sends: the ROPC token (vendor and delegated profiles) or the app-only Exchange token (app-only).
// Either one already exists when the login runs: the runner gates the login on ropc-token or app-credentials.
import type { CheckContext } from '../core/check.js';
import type { MailProtocol } from '../clients/types.js';
import type { CheckResult } from '../core/result.js';
import { isAppOnly } from './profile.js';

export async function loginToken(ctx: CheckContext): Promise<string> {
  return isAppOnly(ctx)
    ? (await ctx.clients.tokens.appOnly('exchange')).accessToken
    : (await ctx.clients.tokens.ropc()).accessToken;
}

const SCOPE: Record<MailProtocol, string> = {
  imap: 'IMAP.AccessAsUser.All',
  pop: 'POP.AccessAsUser.All',
  smtp: 'SMTP.Send',
};
const ROLE: Record<MailProtocol, string> = { imap: 'IMAP.AccessAsApp', pop: 'POP.AccessAsApp', smtp: 'SMTP.SendAsApp' };

export type TokenCause =
  | { code: 'SCOPE_MISSING'; causedBy: 'ropc-scopes'; permission: string }
  | { code: 'WRONG_TOKEN_AUDIENCE'; causedBy: 'ropc-scopes'; permission: string }
  | { code: 'ROLE_MISSING'; causedBy: 'app-roles-exchange'; permission: string };

/**
 * When Exchange refused the token: the consulted token check that found why (a missing scope or role for this
 * protocol, a token for another audience). Undefined when the token check found nothing wrong for this protocol.
 */
export async function tokenCause(ctx: CheckContext, protocol: MailProtocol): Promise<TokenCause | undefined> {
  if (isAppOnly(ctx)) {
    const roles = await ctx.settled('app-roles-exchange');
    const role = ROLE[protocol];
    return roles?.status === 'fail' && lacks(roles, role)
      ? { code: 'ROLE_MISSING', causedBy: 'app-roles-exchange', permission: role }
      : undefined;
  }
  const scopes = await ctx.settled('ropc-scopes');
  if (scopes?.code === 'WRONG_TOKEN_AUDIENCE')
    return { code: 'WRONG_TOKEN_AUDIENCE', causedBy: 'ropc-scopes', permission: String(scopes.evidence.aud ?? '') };
  const scope = SCOPE[protocol];
  return scopes?.code === 'SCOPE_MISSING' && lacks(scopes, scope)
    ? { code: 'SCOPE_MISSING', causedBy: 'ropc-scopes', permission: scope }
    : undefined;
}

/** True when the token check could not read the token (opaque): it then neither explains nor clears a refusal. */
export async function tokenUnreadable(ctx: CheckContext): Promise<boolean> {
  const check = isAppOnly(ctx) ? await ctx.settled('app-roles-exchange') : await ctx.settled('ropc-scopes');
  return check?.code === 'ROLES_UNREADABLE' || check?.code === 'TOKEN_UNREADABLE';
}

/** True when the token check's evidence shows the permission absent from the token. */
function lacks(r: CheckResult, permission: string): boolean {
  const held = r.evidence.roles ?? r.evidence.scp;
  const list = Array.isArray(held) ? held.map(String) : String(held ?? '').split(' ');
  // Scope names are compared as ropc-scopes compares them: without regard to case.
  return !list.some((p) => p.toLowerCase() === permission.toLowerCase());
}

/**
 * A refused delegated login whose token belongs to another user than the one named in XOAUTH2 user= (ropc-scopes
 * UPN_MISMATCH): servers refuse that pairing (Dovecot: "Username ... did not match"; Exchange without FullAccess).
 */
export async function userMismatchCause(ctx: CheckContext): Promise<'ropc-scopes' | undefined> {
  if (isAppOnly(ctx)) return undefined;
  return (await ctx.settled('ropc-scopes'))?.code === 'UPN_MISMATCH' ? 'ropc-scopes' : undefined;
}

/** Exchange's refusal named by user-account: the user (the mailbox an app-only login names) does not exist. */
export async function unknownUser(ctx: CheckContext): Promise<boolean> {
  return (await ctx.settled('user-account'))?.code === 'USER_NOT_FOUND';
}

/**
 * For an app-only login, which names a mailbox and signs no one in: the failed check that says there is no mailbox
 * (user-license: no licence; user-account: no such user), if one did.
 */
export async function appMailboxCause(ctx: CheckContext): Promise<string | undefined> {
  return [await ctx.settled('user-license'), ctx.upstream('user-account')].find((r) => r?.status === 'fail')?.id;
}

/** Exchange's refusal named by user-license: no licence, no mailbox. */
export async function mailboxCause(ctx: CheckContext): Promise<'user-license' | undefined> {
  return (await ctx.settled('user-license'))?.status === 'fail' ? 'user-license' : undefined;
}
