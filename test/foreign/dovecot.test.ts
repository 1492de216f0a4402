// Real Dovecot (Debian 2.3.19) judging tokens from a hand-written Entra imitation: tokens shaped as Dovecot wants them
// (a `scope` claim, no `scp`; the login name in `email`, no `upn`) must pass every token check and every login, and
// Dovecot's refusal texts must give the same codes as Exchange's for the same cause.
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signJwt } from '../../src/emulator/jwt.js';
import { loopbackServerCert } from '../../src/emulator/tls.js';
import { describeWithDovecot, showLabLogOnFailure } from '../interop/dovecot-gate.js';
import type { RunningDovecot } from '../interop/dovecot.js';
import { startKeyedDovecot } from '../interop/keyed-lab.js';
import { runAgainst, startFakeM365, tokenAnswer, tokenPosts, USER, type FakeServer } from './helpers/fake-m365.js';

const KID = 'foreign-key';
const ISSUER = 'https://sts.windows.net/4f1c2a77-0b7e-4c3a-9d51-2b8e6f0a9c13/';
const AUD = 'https://outlook.office.com';
const ALL = 'IMAP.AccessAsUser.All POP.AccessAsUser.All SMTP.Send';

/** Dovecot-friendly claims: strings and numbers only, `scope` instead of `scp`, `email` instead of `upn`; over 1 KiB signed. */
function claims(scope: string, email = USER): Record<string, string | number> {
  const now = Math.floor(Date.now() / 1000);
  return {
    aud: AUD,
    iss: ISSUER,
    iat: now - 5,
    nbf: now - 5,
    exp: now + 3600,
    sub: randomBytes(32).toString('base64url'),
    email,
    scope,
    aio: randomBytes(400).toString('base64url'),
    ver: '1.0',
  };
}

describeWithDovecot('checks against real Dovecot with foreign-shaped tokens', () => {
  let lab: RunningDovecot;
  let key: KeyObject;
  const fakes: FakeServer[] = [];
  showLabLogOnFailure(() => [lab]);

  beforeAll(async () => {
    const tls = loopbackServerCert();
    ({ lab, key } = await startKeyedDovecot({
      kid: KID,
      issuer: ISSUER,
      audience: AUD,
      usernameClaim: 'email',
      tls: { certPem: tls.cert, keyPem: tls.key },
    }));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(fakes.map((f) => f.close()));
    if (lab) await lab.stop();
  }, 15_000);

  async function run(accessToken: string) {
    const fake = await startFakeM365((req) =>
      req.path.endsWith('/oauth2/v2.0/token') ? tokenAnswer(accessToken) : undefined,
    );
    fakes.push(fake);
    const hp = (h: { host: string; port: number }) => `${h.host}:${h.port}`;
    const results = await runAgainst(fake, {
      only: ['ropc-scopes', 'imap-login', 'pop-login', 'smtp-login'],
      inputs: { imap: hp(lab.imap), pop: hp(lab.pop), smtp: hp(lab.submission) },
    });
    expect(tokenPosts(fake)).toHaveLength(1);
    const pick = (id: string) => [results.get(id)!.status, results.get(id)!.code, results.get(id)!.causedBy];
    return { pick, results };
  }

  it('a `scope` claim and `email` (no scp, no upn): the token fits and all three logins pass', async () => {
    const { pick } = await run(signJwt(claims(ALL), key, { kid: KID }));
    expect(pick('ropc-scopes')).toEqual(['pass', 'TOKEN_FITS', undefined]);
    expect(pick('imap-login')).toEqual(['pass', 'LOGIN_OK', undefined]);
    expect(pick('pop-login')).toEqual(['pass', 'LOGIN_OK', undefined]);
    expect(pick('smtp-login')).toEqual(['pass', 'SMTP_OK', undefined]);
  }, 60_000);

  it("a token Dovecot refuses (another key signed it): AUTH_REJECTED on each protocol, Dovecot's texts quoted", async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const { pick, results } = await run(signJwt(claims(ALL), other, { kid: KID }));
    expect(pick('imap-login')).toEqual(['fail', 'AUTH_REJECTED', undefined]);
    expect(pick('pop-login')).toEqual(['fail', 'AUTH_REJECTED', undefined]);
    expect(pick('smtp-login')).toEqual(['fail', 'AUTH_REJECTED', undefined]);
    expect(results.get('imap-login')!.evidence.authLine).toMatch(/NO \[AUTHENTICATIONFAILED\] Authentication failed\./);
    expect(results.get('pop-login')!.evidence.authLine).toBe('-ERR [AUTH] Authentication failed.');
    expect(results.get('smtp-login')!.evidence.authLine).toBe('535 5.7.8 Authentication failed.');
  }, 60_000);

  it('a refused token whose `scope` claim lacks POP.AccessAsUser.All: pop-login SCOPE_MISSING caused by ropc-scopes', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const { pick } = await run(signJwt(claims('IMAP.AccessAsUser.All SMTP.Send'), other, { kid: KID }));
    expect(pick('ropc-scopes')).toEqual(['fail', 'SCOPE_MISSING', undefined]);
    expect(pick('pop-login')).toEqual(['fail', 'SCOPE_MISSING', 'ropc-scopes']);
    expect(pick('imap-login')).toEqual(['fail', 'AUTH_REJECTED', undefined]);
  }, 60_000);

  it('a valid token of another user (email): Dovecot refuses the pairing; AUTH_REJECTED caused by ropc-scopes (UPN_MISMATCH)', async () => {
    const { pick } = await run(signJwt(claims(ALL, 'other@fabrikam.example'), key, { kid: KID }));
    expect(pick('ropc-scopes')).toEqual(['warn', 'UPN_MISMATCH', undefined]);
    expect(pick('imap-login')).toEqual(['fail', 'AUTH_REJECTED', 'ropc-scopes']);
    expect(pick('pop-login')).toEqual(['fail', 'AUTH_REJECTED', 'ropc-scopes']);
    expect(pick('smtp-login')).toEqual(['fail', 'AUTH_REJECTED', 'ropc-scopes']);
  }, 60_000);
});
