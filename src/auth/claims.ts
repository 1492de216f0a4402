// Reads a JWT's claims for display and diagnosis. Never verifies: judging a token is the resource server's job.
import type { JwtClaims } from '../clients/types.js';

/** Claims of a compact JWS, or {} when the token is opaque (not every resource issues JWTs). */
export function decodeClaims(token: string): JwtClaims {
  const parts = token.split('.');
  const body = parts[1];
  if (parts.length !== 3 || body === undefined) return {};
  try {
    const payload: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    return payload && typeof payload === 'object' && !Array.isArray(payload) ? (payload as JwtClaims) : {};
  } catch {
    return {};
  }
}

/** What a delegated token says about itself, read from wherever the issuer put it; undefined where nothing says. */
export interface DelegatedTokenView {
  /** False when the access token is not a JWT (opaque): only the token response speaks for it. */
  jwt: boolean;
  /** Audiences: the `aud` claim (string or array), else the resources named by URI-form scopes in the token response. */
  audiences?: string[];
  /** Granted scopes, short names (a resource prefix such as https://outlook.office.com/ removed). */
  scopes?: string[];
  /** Where the scopes were read: `scp` (Entra), `scope` (RFC 9068 / Dovecot style) or the token response. */
  scopeSource?: 'scp claim' | 'scope claim' | 'token response';
  /** The signed-in user: upn, else unique_name, preferred_username or email (v2 and guest tokens name it there). */
  user?: string;
}

const USER_CLAIMS = ['upn', 'unique_name', 'preferred_username', 'email'] as const;

export function readDelegatedToken(token: {
  accessToken: string;
  claims: JwtClaims;
  scope?: string;
}): DelegatedTokenView {
  const c = token.claims;
  const jwt = Object.keys(c).length > 0;
  const responseScopes = words(token.scope);
  const fromClaim = words(c.scp) ?? words(c.scope);
  const scopes = fromClaim ?? responseScopes;
  const scopeSource = fromClaim
    ? words(c.scp)
      ? 'scp claim'
      : 'scope claim'
    : responseScopes
      ? 'token response'
      : undefined;
  const claimAud = (Array.isArray(c.aud) ? c.aud : [c.aud]).filter((a): a is string => typeof a === 'string' && !!a);
  const resources = [...new Set((responseScopes ?? []).map(resourceOf).filter((r): r is string => !!r))];
  const audiences = claimAud.length ? claimAud : resources.length ? resources : undefined;
  const user = USER_CLAIMS.map((k) => c[k]).find((v): v is string => typeof v === 'string' && !!v);
  return { jwt, audiences, scopes: scopes?.map(shortScope), scopeSource, user };
}

function words(v: unknown): string[] | undefined {
  const list = (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.split(' ') : []).filter(Boolean);
  return list.length ? list : undefined;
}

/** "https://outlook.office.com/IMAP.AccessAsUser.All" -> "https://outlook.office.com"; short names have none. */
function resourceOf(scope: string): string | undefined {
  const m = scope.match(/^(https?:\/\/[^/]+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\//i);
  return m?.[1];
}

function shortScope(scope: string): string {
  const resource = resourceOf(scope);
  return resource ? scope.slice(resource.length + 1) : scope;
}

/**
 * Application permissions of an app-only token: the `roles` claim, an array as Entra writes it or a space-separated
 * string as some issuers do (arrays crash some resource servers' token checks). A JWT without it holds none;
 * undefined when the token is not a JWT (opaque), as then nothing can be read.
 */
export function readRoles(claims: JwtClaims): string[] | undefined {
  if (Object.keys(claims).length === 0) return undefined;
  const r: unknown = claims.roles;
  return Array.isArray(r) ? r.map(String) : typeof r === 'string' ? r.split(' ').filter(Boolean) : [];
}
