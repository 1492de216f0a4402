// Proves the Dovecot lab itself with tokens minted here and a raw-socket client, before any m365-doctor
// code is involved: if these fail, the harness is wrong, not the product.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { signJwt, type JwtPayload } from '../../src/emulator/jwt.js';
import { describeWithDovecot, showLabLogOnFailure } from './dovecot-gate.js';
import type { RunningDovecot } from './dovecot.js';
import { freshLabCert, startKeyedDovecot } from './keyed-lab.js';
import { wireXoauth2, type Protocol } from './wire-sasl.js';

const ISSUER = 'https://sts.interop.test/11111111-1111-1111-1111-111111111111/';
const AUDIENCE = 'https://outlook.interop.test';
const USER = 'connector@interop.test';
const KID = 'harness-key-1';

// Dovecot 2.3.19 needs header typ "JWT" (signJwt's default), string-valued claims only, and `sub`.
function claims(over: JwtPayload = {}): JwtPayload {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'subject-1',
    upn: USER,
    iat: now - 5,
    nbf: now - 5,
    exp: now + 600,
    ...over,
  };
}

describeWithDovecot('Dovecot lab harness (self-minted tokens, raw sockets)', () => {
  let lab: RunningDovecot;
  let signingKey: KeyObject;
  let strangerKey: KeyObject;
  let caPem: string;
  showLabLogOnFailure(() => [lab]);

  beforeAll(async () => {
    strangerKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const cert = freshLabCert();
    caPem = cert.caPem;
    ({ lab, key: signingKey } = await startKeyedDovecot({
      kid: KID,
      issuer: ISSUER,
      audience: AUDIENCE,
      usernameClaim: 'upn',
      tls: cert.tls,
    }));
  }, 60_000);

  afterAll(async () => {
    if (!lab) return;
    await lab.stop();
    expect(lab.processes()).toEqual([]);
  }, 15_000);

  const login = (protocol: Protocol, token: string, user = USER) => {
    const ep = protocol === 'imap' ? lab.imap : protocol === 'pop' ? lab.pop : lab.submission;
    return wireXoauth2(protocol, ep.host, ep.port, caPem, user, token);
  };

  const success: Array<[Protocol, RegExp]> = [
    ['imap', /^a1 OK .*Logged in/],
    ['pop', /^\+OK Logged in\.$/],
    ['smtp', /^235 2\.7\.0 Logged in\.$/],
  ];
  test.each(success)('%s accepts a valid token', async (protocol, finalLine) => {
    const r = await login(protocol, signJwt(claims(), signingKey, { kid: KID }));
    expect(r.finalLine).toMatch(finalLine);
    expect(r.ok).toBe(true);
    expect(r.challenge).toBeUndefined();
    expect(r.transcript.join('\n')).not.toContain('eyJ');
  });

  // Each case logs in as its own user, so its log line can be told apart while cases run concurrently
  // (Dovecot holds every failure for up to 500 ms, even with auth_failure_delay = 0).
  const ago = (seconds: number) => Math.floor(Date.now() / 1000) - seconds;
  const failures: Array<[string, (user: string) => string, (user: string) => string]> = [
    ['wrong signature', (user) => signJwt(claims({ upn: user }), strangerKey, { kid: KID }), () => 'Bad signature'],
    [
      'expired token',
      (user) =>
        signJwt(claims({ upn: user, iat: ago(7200), nbf: ago(7200), exp: ago(3600) }), signingKey, { kid: KID }),
      () => 'Token has expired',
    ],
    [
      'wrong audience',
      (user) => signJwt(claims({ upn: user, aud: 'https://graph.interop.test' }), signingKey, { kid: KID }),
      () => 'client_id not found in aud field',
    ],
    [
      'token for another user',
      () => signJwt(claims({ upn: 'someone.else@interop.test' }), signingKey, { kid: KID }),
      (user) => `Username '${user}' did not match 'someone.else@interop.test'`,
    ],
  ];
  const finalFailure: Record<Protocol, string> = {
    imap: 'a1 NO [AUTHENTICATIONFAILED] Authentication failed.',
    pop: '-ERR [AUTH] Authentication failed.',
    smtp: '535 5.7.8 Authentication failed.',
  };
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const protocol of ['imap', 'pop', 'smtp'] as const) {
    test.concurrent.each(failures)(
      `${protocol}: %s is refused after a JSON challenge, and the log says why`,
      async (name, token, reason) => {
        const user = `${protocol}.${name.replace(/ /g, '-')}@interop.test`;
        const r = await login(protocol, token(user), user);
        expect(r.ok).toBe(false);
        // Dovecot names scope "mail" even when no scope is configured.
        expect(r.challenge).toEqual({ status: '401', schemes: 'bearer', scope: 'mail' });
        expect(r.finalLine).toBe(finalFailure[protocol]);
        await lab.waitForLog(
          new RegExp(
            `auth: Info: oauth2\\(${escape(user)},127\\.0\\.0\\.1,<[^>]+>\\): oauth2 failed: Local validation failed: ${escape(reason(user))}$`,
          ),
        );
      },
    );
  }

  // Why the CLI suite adapts claim shapes: what this Dovecot refuses in tokens Entra (or RFC 9068) would issue.
  test.concurrent.each([
    [
      'typ "at+jwt" (RFC 9068)',
      (user: string) => signJwt(claims({ upn: user }), signingKey, { kid: KID, typ: 'at+jwt' }),
      "Cannot find 'typ' field",
    ],
    [
      'no sub claim',
      (user: string) => signJwt({ ...claims({ upn: user }), sub: undefined }, signingKey, { kid: KID }),
      "Missing 'sub' field",
    ],
  ])('imap: a token with %s is refused, and the log says why', async (name, token, reason) => {
    // Dovecot lower-cases login names (%Lu), so the log shows them that way.
    const user = `shape.${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}@interop.test`;
    const r = await login('imap', token(user), user);
    expect(r.finalLine).toBe(finalFailure.imap);
    await lab.waitForLog(new RegExp(`oauth2\\(${escape(user)},.*Local validation failed: ${escape(reason)}$`));
  });
});
