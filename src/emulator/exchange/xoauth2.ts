// Decoding of the SASL XOAUTH2 initial response: base64 of "user=<mailbox>\x01auth=Bearer <token>\x01\x01".

export interface Xoauth2Response {
  user: string;
  token: string;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const SHAPE = /^user=([^\x00-\x1f\x7f]+)\x01auth=Bearer ([^\x00-\x20\x7f]+)\x01\x01$/;

/** The mailbox and bearer token, or undefined when the string is not a well-formed XOAUTH2 response. */
export function decodeXoauth2(b64: string): Xoauth2Response | undefined {
  const text = b64.trim();
  if (!BASE64.test(text) || text.length % 4 !== 0) return undefined;
  const match = SHAPE.exec(Buffer.from(text, 'base64').toString('utf8'));
  return match ? { user: match[1], token: match[2] } : undefined;
}

/** Build the string a client sends; used by tests and the doctor's own clients alike. */
export function encodeXoauth2(user: string, token: string): string {
  return Buffer.from(`user=${user}\x01auth=Bearer ${token}\x01\x01`, 'utf8').toString('base64');
}
