// Opaque access tokens: a random handle the client cannot read, whose claims only the issuer keeps. Microsoft documents
// access tokens as opaque to clients: "Tokens that a Microsoft API receives might not always be a JWT that can be
// decoded" (https://learn.microsoft.com/entra/identity-platform/access-tokens), and it encrypts the access tokens of more
// and more Microsoft APIs. The emulated Exchange and Graph accept a handle by looking its claims up here, as a resource
// that can decrypt its own tokens reads them; a JWT is verified against the signing key as before.
import { randomBytes, type KeyObject } from 'node:crypto';
import { lifetimeFault, verifyJwt, type JwtPayload, type JwtVerdict } from './jwt.js';

/** Bounded memory: a long-running emulator forgets its oldest handles (their tokens then read as malformed). */
const MAX_HANDLES = 10_000;

// Process-wide, like the signing key (signing.ts): every emulator in a process trusts what any of them issued, and the
// claims still name their tenant, which each resource checks.
const issued = new Map<string, JwtPayload>();

/** Records the claims and returns their handle: base64url without dots, so nothing takes it for a JWT. */
export function issueOpaqueToken(claims: JwtPayload): string {
  const handle = randomBytes(48).toString('base64url');
  if (issued.size >= MAX_HANDLES) issued.delete(issued.keys().next().value!);
  issued.set(handle, claims);
  return handle;
}

export type AccessTokenVerdict =
  { ok: true; payload: JwtPayload } | { ok: false; reason: Extract<JwtVerdict, { ok: false }>['reason'] };

/** A resource's reading of a bearer token: an opaque handle this issuer recorded, else a JWT verified against the key. */
export function readAccessToken(
  token: string,
  publicKey: KeyObject | string,
  nowSeconds = Date.now() / 1000,
): AccessTokenVerdict {
  const claims = issued.get(token);
  if (!claims) return verifyJwt(token, publicKey, nowSeconds);
  const late = lifetimeFault(claims, nowSeconds);
  return late ? { ok: false, reason: late } : { ok: true, payload: claims };
}
