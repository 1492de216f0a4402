// RS256 JSON Web Tokens with node:crypto alone: the emulator signs what Entra would issue and
// its Graph and Exchange services verify them the way the real resource servers do.
import { createSign, createVerify, type KeyObject } from 'node:crypto';

export interface JwtHeader {
  alg: string;
  typ?: string;
  kid?: string;
  x5t?: string;
}
export type JwtPayload = Record<string, unknown>;

const b64url = (buf: Buffer | string) => Buffer.from(buf).toString('base64url');

export function signJwt(payload: JwtPayload, key: KeyObject | string, header: Omit<JwtHeader, 'alg'> = {}): string {
  const head = b64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', ...header }));
  const body = b64url(JSON.stringify(payload));
  const signature = createSign('RSA-SHA256').update(`${head}.${body}`).sign(key);
  return `${head}.${body}.${b64url(signature)}`;
}

/** Decode without verifying (for claims display). Returns undefined for anything not a JWS. */
export function decodeJwt(token: string): { header: JwtHeader; payload: JwtPayload } | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    return {
      header: JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as JwtHeader,
      payload: JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as JwtPayload,
    };
  } catch {
    return undefined;
  }
}

export type JwtVerdict =
  | { ok: true; header: JwtHeader; payload: JwtPayload }
  | { ok: false; reason: 'malformed' | 'bad-signature' | 'unsupported-alg' | 'expired' | 'not-yet-valid' };

/** Verify signature and time claims (with a small clock-skew allowance, as resource servers use). */
export function verifyJwt(
  token: string,
  publicKey: KeyObject | string,
  nowSeconds = Date.now() / 1000,
  skewSeconds = 300,
): JwtVerdict {
  const decoded = decodeJwt(token);
  if (!decoded) return { ok: false, reason: 'malformed' };
  if (decoded.header.alg !== 'RS256') return { ok: false, reason: 'unsupported-alg' };
  const [head, body, sig] = token.split('.');
  const valid = createVerify('RSA-SHA256').update(`${head}.${body}`).verify(publicKey, Buffer.from(sig, 'base64url'));
  if (!valid) return { ok: false, reason: 'bad-signature' };
  const late = lifetimeFault(decoded.payload, nowSeconds, skewSeconds);
  return late ? { ok: false, reason: late } : { ok: true, ...decoded };
}

/** Whether a token's exp / nbf claims put `nowSeconds` outside its lifetime (with the clock-skew allowance). */
export function lifetimeFault(
  payload: JwtPayload,
  nowSeconds: number,
  skewSeconds = 300,
): 'expired' | 'not-yet-valid' | undefined {
  const { exp, nbf } = payload as { exp?: number; nbf?: number };
  if (typeof exp !== 'number' || exp + skewSeconds < nowSeconds) return 'expired';
  if (typeof nbf === 'number' && nbf - skewSeconds > nowSeconds) return 'not-yet-valid';
  return undefined;
}
