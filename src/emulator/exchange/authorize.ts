// Judges an XOAUTH2 login the way Exchange Online does: token validity, permission claims, mailbox rights
// and the per-protocol switches. The servers turn the verdict into each protocol's wire answer.
import type { KeyObject } from 'node:crypto';
import { readAccessToken } from '../opaque-tokens.js';
import { EXCHANGE_APP_ID, type ExchangeServicePrincipal, type TenantModel, type User } from '../model.js';
import { decodeXoauth2 } from './xoauth2.js';
import { isAddressOf } from '../mailbox-addresses.js';

export type MailProtocol = 'imap' | 'pop' | 'smtp';

/** Audiences Exchange Online accepts for its mail protocols. */
export const EXCHANGE_AUDIENCES: readonly string[] = [
  'https://outlook.office.com',
  'https://outlook.office365.com',
  EXCHANGE_APP_ID,
];

const DELEGATED_SCOPE: Record<MailProtocol, string> = {
  imap: 'IMAP.AccessAsUser.All',
  pop: 'POP.AccessAsUser.All',
  smtp: 'SMTP.Send',
};
const APP_ROLE: Record<MailProtocol, string> = {
  imap: 'IMAP.AccessAsApp',
  pop: 'POP.AccessAsApp',
  smtp: 'SMTP.SendAsApp',
};

export type RejectReason =
  | 'malformed-sasl'
  | 'malformed-token'
  | 'unsupported-alg'
  | 'bad-signature'
  | 'expired'
  | 'not-yet-valid'
  | 'wrong-audience'
  | 'wrong-tenant'
  | 'no-permission-claims'
  | 'missing-scope'
  | 'missing-role'
  | 'unknown-user'
  | 'mailbox-not-found'
  | 'no-mailbox-access'
  | 'app-not-registered'
  | 'user-not-token-upn';

/** no-send-permission (SMTP, app-only): AUTH succeeds, the submission fails (Exchange checks at submission). */
export type NotConnectedReason = 'protocol-disabled' | 'no-full-access' | 'no-send-permission';

export type Verdict =
  /** The client hears the protocol's generic authentication failure. */
  | { outcome: 'rejected'; reason: RejectReason; user?: string }
  /** SMTP only: the 5.7.139 answer, naming which switch is off. */
  | { outcome: 'smtp-auth-disabled'; level: 'Tenant' | 'Mailbox'; user: string }
  /** Login succeeds; a not-connected session fails on its first mailbox command. */
  | { outcome: 'authenticated'; user: string; mailbox: string; kind: 'delegated' | 'app-only'; connected: true }
  | {
      outcome: 'authenticated';
      user: string;
      mailbox: string;
      kind: 'delegated' | 'app-only';
      connected: false;
      reason: NotConnectedReason;
    };

const same = (a: string | null | undefined, b: string | null | undefined) =>
  typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();

function findMailboxOwner(tenant: TenantModel, address: string): User | undefined {
  return tenant.users.find((u) => same(u.userPrincipalName, address) || isAddressOf(u, address));
}

function hasFullAccess(tenant: TenantModel, owner: User, principal: string): boolean {
  return tenant.exchange.mailboxPermissions.some(
    (p) =>
      (same(p.mailbox, owner.userPrincipalName) || same(p.mailbox, owner.mail)) &&
      same(p.principal, principal) &&
      p.accessRights.includes('FullAccess'),
  );
}

function hasSendAs(tenant: TenantModel, owner: User, principal: string): boolean {
  return (tenant.exchange.recipientPermissions ?? []).some(
    (p) =>
      (same(p.mailbox, owner.userPrincipalName) || same(p.mailbox, owner.mail)) &&
      same(p.trustee, principal) &&
      p.accessRights.includes('SendAs'),
  );
}

/** An "Application SMTP.SendAsApp" management role assignment for this app whose scope (none: the organisation) holds the mailbox. */
function rbacCovers(tenant: TenantModel, registration: ExchangeServicePrincipal, owner: User): boolean {
  const scopes = tenant.exchange.managementScopes ?? [];
  return (tenant.exchange.appRoleAssignments ?? []).some((a) => {
    if (
      a.role !== 'Application SMTP.SendAsApp' ||
      !(same(a.app, registration.appId) || same(a.app, registration.objectId))
    )
      return false;
    if (a.customResourceScope === undefined) return true;
    const scope = scopes.find((s) => same(s.name, a.customResourceScope));
    return scope !== undefined && scope.mailboxes.some((m) => same(m, owner.userPrincipalName) || same(m, owner.mail));
  });
}

function audienceOk(aud: unknown): boolean {
  const list = Array.isArray(aud) ? aud : [aud];
  return list.some((a) => typeof a === 'string' && EXCHANGE_AUDIENCES.includes(a.replace(/\/$/, '')));
}

function words(claim: unknown): string[] {
  if (typeof claim === 'string') return claim.split(' ').filter(Boolean);
  if (Array.isArray(claim)) return claim.filter((c): c is string => typeof c === 'string');
  return [];
}

/** Decide an XOAUTH2 login. `saslB64` is the base64 initial response exactly as the client sent it. */
export function authorizeXoauth2(
  saslB64: string,
  protocol: MailProtocol,
  tenant: TenantModel,
  publicKey: KeyObject,
  nowSeconds = Date.now() / 1000,
): Verdict {
  const sasl = decodeXoauth2(saslB64);
  if (!sasl) return { outcome: 'rejected', reason: 'malformed-sasl' };
  return judgeBearer(sasl.user, sasl.token, protocol, tenant, publicKey, nowSeconds);
}

/** Decide a login whose SASL response is already decoded into the mailbox (`user=`) and bearer token. */
export function judgeBearer(
  user: string,
  token: string,
  protocol: MailProtocol,
  tenant: TenantModel,
  publicKey: KeyObject,
  nowSeconds = Date.now() / 1000,
): Verdict {
  const reject = (reason: RejectReason): Verdict => ({ outcome: 'rejected', reason, user });

  const checked = readAccessToken(token, publicKey, nowSeconds);
  if (!checked.ok) return reject(checked.reason === 'malformed' ? 'malformed-token' : checked.reason);
  const claims = checked.payload;
  if (!audienceOk(claims.aud)) return reject('wrong-audience');
  if (claims.tid !== tenant.tenantId) return reject('wrong-tenant');

  const owner = findMailboxOwner(tenant, user);
  const scopes = words(claims.scp);
  const roles = words(claims.roles);
  let kind: 'delegated' | 'app-only';
  let connected = true;
  let reason: NotConnectedReason | undefined;

  if (claims.scp !== undefined) {
    kind = 'delegated';
    if (!scopes.includes(DELEGATED_SCOPE[protocol])) return reject('missing-scope');
    // v1 tokens name the user in upn/unique_name, v2 tokens in preferred_username; oid is in both.
    const names = [claims.upn, claims.unique_name, claims.preferred_username].filter(
      (n): n is string => typeof n === 'string',
    );
    const caller = tenant.users.find(
      (u) =>
        (typeof claims.oid === 'string' && same(u.id, claims.oid)) || names.some((n) => same(u.userPrincipalName, n)),
    );
    if (!caller) return reject('unknown-user');
    // SMTP AUTH compares user= with the token's UPN, not with the mailbox's addresses (connector projects report
    // 535 5.7.3 for user=<primary address> when it is not the UPN, while IMAP with the same user= works).
    if (protocol === 'smtp' && !same(user, caller.userPrincipalName)) return reject('user-not-token-upn');
    if (!owner?.mailbox) return reject('mailbox-not-found');
    if (caller.id !== owner.id && !hasFullAccess(tenant, owner, caller.userPrincipalName))
      return reject('no-mailbox-access');
  } else if (claims.roles !== undefined || claims.idtyp === 'app') {
    kind = 'app-only';
    const appId = (claims.appid ?? claims.azp) as string | undefined;
    const enterpriseApp = tenant.servicePrincipals.find((sp) => same(sp.appId, appId));
    // New-ServicePrincipal must name the enterprise app's object id; the app registration's id does not count.
    const registration = tenant.exchange.servicePrincipals.find(
      (r) => same(r.appId, appId) && enterpriseApp !== undefined && same(r.objectId, enterpriseApp.id),
    );
    // SMTP may also be granted by RBAC for Applications instead of the token's role; then the token needs no role.
    const rbac =
      protocol === 'smtp' && registration !== undefined && owner?.mailbox
        ? rbacCovers(tenant, registration, owner)
        : false;
    if (!roles.includes(APP_ROLE[protocol]) && !rbac) return reject('missing-role');
    if (!registration) return reject('app-not-registered');
    if (!owner?.mailbox) return reject('mailbox-not-found');
    if (protocol === 'smtp') {
      // Sending as the mailbox needs FullAccess or Send As on it, or the RBAC assignment covering it.
      if (
        !rbac &&
        !hasFullAccess(tenant, owner, registration.objectId) &&
        !hasSendAs(tenant, owner, registration.objectId)
      ) {
        connected = false;
        reason = 'no-send-permission';
      }
    } else if (!hasFullAccess(tenant, owner, registration.objectId)) {
      connected = false;
      reason = 'no-full-access';
    }
  } else {
    return reject('no-permission-claims');
  }

  const mailbox = owner.mailbox!;
  if (protocol === 'smtp') {
    if (mailbox.smtpClientAuthenticationDisabled === true)
      return { outcome: 'smtp-auth-disabled', level: 'Mailbox', user };
    if (mailbox.smtpClientAuthenticationDisabled === null && tenant.exchange.smtpClientAuthenticationDisabled) {
      return { outcome: 'smtp-auth-disabled', level: 'Tenant', user };
    }
  }
  if (connected && ((protocol === 'imap' && !mailbox.imapEnabled) || (protocol === 'pop' && !mailbox.popEnabled))) {
    connected = false;
    reason = 'protocol-disabled';
  }
  const base = { outcome: 'authenticated' as const, user, mailbox: owner.userPrincipalName, kind };
  return connected ? { ...base, connected: true } : { ...base, connected: false, reason: reason! };
}
