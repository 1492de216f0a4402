// Mail servers that are not Exchange: Dovecot's texts for success and failure, an IMAP server without SASL-IR, a POP
// server without CAPA or without a SASL line, Dovecot submission's 1 KiB AUTH line. The same cause must give the same
// code as with Exchange: a refused token is AUTH_REJECTED, or the token check's code with causedBy when ropc-scopes
// found the reason; a server that did take the XOAUTH2 exchange is never "does not offer XOAUTH2".
import { afterAll, describe, expect, it } from 'vitest';
import {
  exchangeClaims,
  jwt,
  runAgainst,
  startFakeM365,
  tokenAnswer,
  USER,
  type FakeServer,
} from './helpers/fake-m365.js';
import { dovecotImap, dovecotPop, dovecotSubmission, type Accept, type FakeMail } from './helpers/fake-mail.js';

const closers: { close(): Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(closers.map((s) => s.close()));
});

const EXO = 'https://outlook.office.com';
const ALL = 'IMAP.AccessAsUser.All POP.AccessAsUser.All SMTP.Send';
// Entra-sized (over 1 KiB), as the opaque aio/rh claims make a real one.
const bigToken = (scp = ALL) => jwt(exchangeClaims({ scp, aio: 'A'.repeat(900), rh: `0.${'B'.repeat(300)}.` }));

async function entraIssuing(accessToken: string, scope?: string): Promise<FakeServer> {
  const fake = await startFakeM365((req) =>
    req.path.endsWith('/oauth2/v2.0/token') ? tokenAnswer(accessToken, scope ? { scope } : {}) : undefined,
  );
  closers.push(fake);
  return fake;
}

const acceptsOnly =
  (token: string): Accept =>
  (user, t) =>
    user === USER && t === token;
const refusesAll: Accept = () => false;

async function login(
  check: 'imap-login' | 'pop-login' | 'smtp-login',
  server: FakeMail,
  fake: FakeServer,
  activities?: string[],
) {
  closers.push(server);
  const key = check === 'imap-login' ? 'imap' : check === 'pop-login' ? 'pop' : 'smtp';
  const activity = check === 'imap-login' ? 'read-imap' : check === 'pop-login' ? 'read-pop' : 'send-smtp';
  const run = await runAgainst(fake, {
    only: [check, 'ropc-scopes'],
    inputs: { [key]: server.hostPort, activities: activities ?? [activity] },
  });
  return run.get(check)!;
}

describe('IMAP against a Dovecot-like server', { timeout: 30_000 }, () => {
  it('without SASL-IR: the token goes after "+", and Dovecot\'s "Logged in" is LOGIN_OK', async () => {
    const token = bigToken();
    const server = await dovecotImap(acceptsOnly(token), { saslIr: false });
    const r = await login('imap-login', server, await entraIssuing(token));
    expect([r.status, r.code]).toEqual(['pass', 'LOGIN_OK']);
    expect(server.lines.some((l) => /^\S+ AUTHENTICATE XOAUTH2$/.test(l))).toBe(true);
  });

  it('a refused token: challenge answered, "NO [AUTHENTICATIONFAILED] Authentication failed." is AUTH_REJECTED', async () => {
    const r = await login('imap-login', await dovecotImap(refusesAll), await entraIssuing(bigToken()));
    expect([r.status, r.code]).toEqual(['fail', 'AUTH_REJECTED']);
    expect(r.evidence.authLine).toMatch(/NO \[AUTHENTICATIONFAILED\] Authentication failed\./);
    expect(String(r.evidence.challenge)).toContain('"status":"401"');
  });

  it('a refused token that lacks IMAP.AccessAsUser.All: SCOPE_MISSING caused by ropc-scopes', async () => {
    const r = await login(
      'imap-login',
      await dovecotImap(refusesAll),
      await entraIssuing(bigToken('POP.AccessAsUser.All SMTP.Send')),
    );
    expect([r.status, r.code, r.causedBy]).toEqual(['fail', 'SCOPE_MISSING', 'ropc-scopes']);
  });

  it('a refused opaque token with Exchange scopes in the response: AUTH_REJECTED, not WRONG_TOKEN_AUDIENCE', async () => {
    const r = await login(
      'imap-login',
      await dovecotImap(refusesAll),
      await entraIssuing('EwBwA8l6BAAUopaqueTokenNotAJwt0123456789', `${EXO}/IMAP.AccessAsUser.All`),
    );
    expect([r.status, r.code]).toEqual(['fail', 'AUTH_REJECTED']);
  });
});

describe('POP against a Dovecot-like server', { timeout: 30_000 }, () => {
  it('"+OK Logged in." and STAT "+OK 0 0" is LOGIN_OK', async () => {
    const token = bigToken();
    const r = await login('pop-login', await dovecotPop(acceptsOnly(token)), await entraIssuing(token));
    expect([r.status, r.code]).toEqual(['pass', 'LOGIN_OK']);
  });

  it('"-ERR [AUTH] Authentication failed." after the challenge is AUTH_REJECTED', async () => {
    const r = await login('pop-login', await dovecotPop(refusesAll), await entraIssuing(bigToken()));
    expect([r.status, r.code]).toEqual(['fail', 'AUTH_REJECTED']);
    expect(r.evidence.authLine).toBe('-ERR [AUTH] Authentication failed.');
  });

  it('a refused token that lacks POP.AccessAsUser.All: SCOPE_MISSING caused by ropc-scopes', async () => {
    const r = await login(
      'pop-login',
      await dovecotPop(refusesAll),
      await entraIssuing(bigToken('IMAP.AccessAsUser.All SMTP.Send')),
    );
    expect([r.status, r.code, r.causedBy]).toEqual(['fail', 'SCOPE_MISSING', 'ropc-scopes']);
  });

  it('no CAPA: a login that works is LOGIN_OK', async () => {
    const token = bigToken();
    const r = await login(
      'pop-login',
      await dovecotPop(acceptsOnly(token), { capa: 'none' }),
      await entraIssuing(token),
    );
    expect([r.status, r.code]).toEqual(['pass', 'LOGIN_OK']);
  });

  it.each(['none', 'no-sasl'] as const)(
    'CAPA %s, token refused after the XOAUTH2 exchange: AUTH_REJECTED, not XOAUTH2_NOT_OFFERED',
    async (capa) => {
      const r = await login('pop-login', await dovecotPop(refusesAll, { capa }), await entraIssuing(bigToken()));
      expect([r.status, r.code]).toEqual(['fail', 'AUTH_REJECTED']);
    },
  );
});

describe('SMTP against a Dovecot-submission-like server', { timeout: 30_000 }, () => {
  it('an Entra-sized token goes after 334 (no AUTH line over 1 KiB): "235 2.7.0 Logged in." is SMTP_OK', async () => {
    const token = bigToken();
    const server = await dovecotSubmission(acceptsOnly(token));
    const r = await login('smtp-login', server, await entraIssuing(token));
    expect([r.status, r.code]).toEqual(['pass', 'SMTP_OK']);
    expect(server.lines.filter((l) => /^AUTH /i.test(l)).every((l) => l.length <= 1024)).toBe(true);
  });

  it('"535 5.7.8 Authentication failed." is AUTH_REJECTED', async () => {
    const r = await login('smtp-login', await dovecotSubmission(refusesAll), await entraIssuing(bigToken()));
    expect([r.status, r.code]).toEqual(['fail', 'AUTH_REJECTED']);
    expect(r.evidence.authLine).toBe('535 5.7.8 Authentication failed.');
  });

  it('a refused token that lacks SMTP.Send: SCOPE_MISSING caused by ropc-scopes', async () => {
    const r = await login(
      'smtp-login',
      await dovecotSubmission(refusesAll),
      await entraIssuing(bigToken('IMAP.AccessAsUser.All POP.AccessAsUser.All')),
    );
    expect([r.status, r.code, r.causedBy]).toEqual(['fail', 'SCOPE_MISSING', 'ropc-scopes']);
  });
});

describe('scope names in another case', { timeout: 30_000 }, () => {
  it("scopes in lower case, SMTP.Send absent: imap-login's refusal is not blamed on a missing IMAP scope", async () => {
    const r = await login(
      'imap-login',
      await dovecotImap(refusesAll),
      await entraIssuing(bigToken('imap.accessasuser.all pop.accessasuser.all')),
      ['read-imap', 'send-smtp'],
    );
    expect([r.status, r.code]).toEqual(['fail', 'AUTH_REJECTED']);
  });
});

describe('a token of another user than the XOAUTH2 user=', { timeout: 30_000 }, () => {
  it.each(['imap-login', 'pop-login', 'smtp-login'] as const)(
    '%s: refused, AUTH_REJECTED caused by ropc-scopes (UPN_MISMATCH)',
    async (check) => {
      const token = jwt(exchangeClaims({ upn: 'other@fabrikam.example', unique_name: 'other@fabrikam.example' }));
      // Like Dovecot: the login name must equal the token's user claim.
      const accept: Accept = (user) => user === 'other@fabrikam.example';
      const server =
        check === 'imap-login'
          ? await dovecotImap(accept)
          : check === 'pop-login'
            ? await dovecotPop(accept)
            : await dovecotSubmission(accept);
      const r = await login(
        check,
        server,
        await entraIssuing(token, `${EXO}/IMAP.AccessAsUser.All ${EXO}/POP.AccessAsUser.All ${EXO}/SMTP.Send`),
      );
      expect([r.status, r.code, r.causedBy]).toEqual(['fail', 'AUTH_REJECTED', 'ropc-scopes']);
    },
  );
});
