// SASL XOAUTH2: the initial response, and the base64 JSON a server may send as a failure challenge.
import type { Redactor } from '../core/redact.js';

/** base64("user=" + user + ^A + "auth=Bearer " + token + ^A^A), registered with the redactor before use. */
export function xoauth2InitialResponse(user: string, accessToken: string, redactor: Redactor): string {
  redactor.add(accessToken);
  const encoded = Buffer.from(`user=${user}\x01auth=Bearer ${accessToken}\x01\x01`, 'utf8').toString('base64');
  redactor.add(encoded);
  return encoded;
}

/** Decode a continuation payload such as {"status":"401","schemes":"bearer"}; undefined if it is not base64 JSON. */
export function decodeChallenge(payload: string): Record<string, unknown> | undefined {
  const text = payload.trim();
  if (!text || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
