// Access, ID and refresh tokens shaped as Entra issues them for first-party resources (v1 access tokens).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  EXCHANGE_APP_ID,
  GRAPH_APP_ID,
  type Application,
  type ServicePrincipal,
  type TenantModel,
  type TokenKind,
  type User,
} from './model.js';
import type { SigningKey } from './signing.js';
import type { JwtPayload } from './jwt.js';
import { issueOpaqueToken } from './opaque-tokens.js';

export type TokenProfile = 'entra' | 'flat';

export interface TokenSettings {
  /** Seconds until exp; negative issues tokens that are already expired. */
  lifetimeSeconds: number;
  profile: TokenProfile;
}

export const v1Issuer = (tid: string) => `https://sts.windows.net/${tid}/`;
export const v2Issuer = (authorityHost: string, tid: string) => `${authorityHost}/${tid}/v2.0`;

const opaque = (bytes: number) => randomBytes(bytes).toString('base64url');
/** Entra's `sub` is pairwise: stable per user and application, different across applications. */
const pairwiseSub = (oid: string, appId: string) =>
  createHash('sha256').update(`${oid}|${appId}`).digest('base64url').slice(0, 43);

export function timeClaims(
  settings: TokenSettings,
  now = Math.floor(Date.now() / 1000),
): { iat: number; nbf: number; exp: number } {
  const exp = now + settings.lifetimeSeconds;
  // Entra back-dates iat/nbf by five minutes; keep iat before exp even for already-expired test tokens.
  const iat = Math.min(now - 300, exp - 3600);
  return { iat, nbf: iat, exp };
}

/** 'flat' suits JWT parsers that cannot take arrays or nulls: roles become a space-separated string, the rest go. */
export function applyProfile(claims: JwtPayload, profile: TokenProfile): JwtPayload {
  if (profile === 'entra') return claims;
  const out: JwtPayload = {};
  for (const [k, v] of Object.entries(claims)) {
    if (k === 'roles' && Array.isArray(v)) out.roles = v.join(' ');
    else if (v !== null && v !== undefined && !Array.isArray(v)) out[k] = v;
  }
  return out;
}

const KINDS: Record<string, { delegated: TokenKind; appOnly: TokenKind }> = {
  [EXCHANGE_APP_ID]: { delegated: 'exchangeDelegated', appOnly: 'exchangeAppOnly' },
  [GRAPH_APP_ID]: { delegated: 'graphDelegated', appOnly: 'graphAppOnly' },
};

/** A JWT signed with the tenant's key, or an opaque handle where the tenant's tokenFormat asks for one. */
function accessToken(
  key: SigningKey,
  s: TokenSettings,
  tenant: TenantModel,
  resource: ServicePrincipal,
  kind: 'delegated' | 'appOnly',
  claims: JwtPayload,
): string {
  const tokenKind = KINDS[resource.appId]?.[kind];
  if (tokenKind && tenant.tokenFormat?.[tokenKind] === 'opaque') return issueOpaqueToken(claims);
  return key.sign(applyProfile(claims, s.profile));
}

export interface DelegatedGrant {
  tenant: TenantModel;
  app: Application;
  user: User;
  resource: ServicePrincipal;
  audience: string;
  scp: string[];
  confidential: boolean;
  amr: string[];
}

export function delegatedAccessToken(key: SigningKey, s: TokenSettings, g: DelegatedGrant): string {
  const claims: JwtPayload = {
    aud: g.audience,
    iss: v1Issuer(g.tenant.tenantId),
    ...timeClaims(s),
    acr: '1',
    aio: opaque(40),
    amr: g.amr,
    app_displayname: g.app.displayName,
    appid: g.app.appId,
    appidacr: g.confidential ? '1' : '0',
    idtyp: 'user',
    ipaddr: '127.0.0.1',
    name: g.user.displayName,
    oid: g.user.id,
    rh: `0.${opaque(30)}.`,
    scp: g.scp.join(' '),
    sub: pairwiseSub(g.user.id, g.app.appId),
    tid: g.tenant.tenantId,
    unique_name: g.user.userPrincipalName,
    upn: g.user.userPrincipalName,
    uti: opaque(16),
    ver: '1.0',
  };
  return accessToken(key, s, g.tenant, g.resource, 'delegated', claims);
}

export interface AppOnlyGrant {
  tenant: TenantModel;
  app: Application;
  clientSp: ServicePrincipal;
  resource: ServicePrincipal;
  audience: string;
  roles: string[];
}

export function appOnlyAccessToken(key: SigningKey, s: TokenSettings, g: AppOnlyGrant): string {
  const iss = v1Issuer(g.tenant.tenantId);
  const claims: JwtPayload = {
    aud: g.audience,
    iss,
    ...timeClaims(s),
    aio: opaque(40),
    app_displayname: g.app.displayName,
    appid: g.app.appId,
    appidacr: '1',
    idp: iss,
    idtyp: 'app',
    oid: g.clientSp.id,
    rh: `0.${opaque(30)}.`,
    // Entra leaves the claim out when the client holds no role on the resource.
    ...(g.roles.length ? { roles: g.roles } : {}),
    sub: g.clientSp.id,
    tid: g.tenant.tenantId,
    uti: opaque(16),
    ver: '1.0',
  };
  return accessToken(key, s, g.tenant, g.resource, 'appOnly', claims);
}

export function idToken(
  key: SigningKey,
  s: TokenSettings,
  authorityHost: string,
  tenant: TenantModel,
  app: Application,
  user: User,
): string {
  const claims: JwtPayload = {
    aud: app.appId,
    iss: v2Issuer(authorityHost, tenant.tenantId),
    ...timeClaims(s),
    name: user.displayName,
    oid: user.id,
    preferred_username: user.userPrincipalName,
    rh: `0.${opaque(30)}.`,
    sub: pairwiseSub(user.id, app.appId),
    tid: tenant.tenantId,
    uti: opaque(16),
    ver: '2.0',
  };
  return key.sign(claims);
}

/** base64url of {"uid","utid"}: how MSAL learns the home account of a delegated token. */
export const clientInfo = (oid: string, tid: string) =>
  Buffer.from(JSON.stringify({ uid: oid, utid: tid })).toString('base64url');

/** Opaque refresh token, in the shape Entra's start with ("1.A…"). */
export const newRefreshToken = () => `1.A${opaque(96)}`;

export const newTraceId = () => randomUUID();
