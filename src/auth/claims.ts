// Reads a JWT's claims for display and diagnosis. Never verifies: judging a token is the resource server's job.
import type { JwtClaims } from '../clients.js';

/** Claims of a compact JWS, or {} when the token is opaque (not every resource issues JWTs). */
export function decodeClaims(token: string): JwtClaims {
  const parts = token.split('.');
  if (parts.length !== 3) return {};
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return payload && typeof payload === 'object' && !Array.isArray(payload) ? payload as JwtClaims : {};
  } catch {
    return {};
  }
}
