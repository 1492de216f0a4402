// Self-minted access tokens shaped like Entra's v1 Exchange tokens, for driving Dovecot without the emulator.
import { randomBytes, randomUUID } from 'node:crypto';
import type { JwtPayload } from '../../src/emulator/jwt.js';

export const LAB_TENANT = '11111111-1111-1111-1111-111111111111';
export const LAB_ISSUER = `https://sts.windows.net/${LAB_TENANT}/`;
export const LAB_AUDIENCE = 'https://outlook.office.com';

/**
 * Entra's delegated-token claims in the "flat" shape Dovecot 2.3.19 survives: every value a string or number
 * (Entra's array claims such as amr and wids are left out; they can crash Dovecot's auth process).
 * The opaque aio/rh/uti values make it Entra-sized (over 1 KiB), which matters for submission's AUTH line cap.
 */
export function entraLikeClaims(upn: string, over: JwtPayload = {}): JwtPayload {
  const now = Math.floor(Date.now() / 1000);
  return {
    aud: LAB_AUDIENCE,
    iss: LAB_ISSUER,
    iat: now - 5,
    nbf: now - 5,
    exp: now + 3600,
    acct: 0,
    acr: '1',
    aio: randomBytes(180).toString('base64url'),
    app_displayname: 'Mail Connector',
    appid: '22222222-2222-2222-2222-222222222222',
    appidacr: '1',
    idtyp: 'user',
    ipaddr: '127.0.0.1',
    name: 'Connector',
    oid: randomUUID(),
    puid: '10032000ABCDEF01',
    rh: `0.${randomBytes(90).toString('base64url')}.`,
    scp: 'IMAP.AccessAsUser.All POP.AccessAsUser.All SMTP.Send User.Read',
    sid: randomUUID(),
    sub: randomBytes(32).toString('base64url'),
    tid: LAB_TENANT,
    unique_name: upn,
    upn,
    uti: randomBytes(16).toString('base64url'),
    ver: '1.0',
    ...over,
  };
}
