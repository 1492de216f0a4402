// Graph's side of a bearer token: verified like a resource server does (signature, lifetime, audience, tenant; an
// opaque handle by the claims its issuer recorded), then read as app-only roles or delegated scopes.
import type { KeyObject } from 'node:crypto';
import { GRAPH_APP_ID, type TenantModel } from './model.js';
import { readAccessToken } from './opaque-tokens.js';
import { GraphFailure } from './graph-odata.js';

export const GRAPH_AUDIENCES = ['https://graph.microsoft.com', 'https://graph.microsoft.com/', GRAPH_APP_ID];

export interface Caller {
  kind: 'app' | 'delegated';
  /** App roles (app-only) or delegated scopes. */
  permissions: Set<string>;
  /** The signed-in user's object id for delegated calls. */
  userId?: string;
}

const invalid = (message: string) =>
  new GraphFailure(401, 'InvalidAuthenticationToken', message, {
    'www-authenticate': `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="${GRAPH_APP_ID}"`,
  });

export function authenticate(header: string | undefined, publicKey: KeyObject, tenant: TenantModel): Caller {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m) throw invalid('Access token is empty.');
  const verdict = readAccessToken(m[1], publicKey);
  if (!verdict.ok) {
    if (verdict.reason === 'expired') throw invalid('Lifetime validation failed, the token is expired.');
    if (verdict.reason === 'not-yet-valid') throw invalid('Lifetime validation failed, the token is not yet valid.');
    if (verdict.reason === 'malformed') throw invalid('IDX14100: JWT is not well formed.');
    throw invalid('Access token validation failure.');
  }
  const claims = verdict.payload;
  if (!GRAPH_AUDIENCES.includes(String(claims.aud)))
    throw invalid('Access token validation failure. Invalid audience.');
  if (claims.tid !== tenant.tenantId) throw invalid('Access token validation failure. Invalid issuer.');
  if (typeof claims.scp === 'string') {
    return {
      kind: 'delegated',
      permissions: new Set(claims.scp.split(' ').filter(Boolean)),
      userId: String(claims.oid ?? ''),
    };
  }
  const roles = Array.isArray(claims.roles)
    ? claims.roles.map(String)
    : typeof claims.roles === 'string'
      ? claims.roles.split(' ').filter(Boolean)
      : [];
  return { kind: 'app', permissions: new Set(roles) };
}

/** Throws 403 Authorization_RequestDenied unless the caller holds one of the permissions (app-only may be refused). */
export function requireAny(
  caller: Caller,
  permissions: readonly string[],
  opts: { delegatedOnly?: boolean } = {},
): void {
  const allowed = !(opts.delegatedOnly && caller.kind === 'app') && permissions.some((p) => caller.permissions.has(p));
  if (!allowed)
    throw new GraphFailure(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
}
