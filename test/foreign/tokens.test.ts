// Foreign tokens: what ropc-scopes makes of delegated tokens shaped unlike the emulator's - scopes only in the token
// response or in a `scope` claim, no upn, an array audience, an opaque (non-JWT) token. It judges from what is there
// and says plainly what it could not read; it never fails on a claim it could not read.
import { afterAll, describe, expect, it } from 'vitest';
import {
  exchangeClaims,
  jwt,
  runAgainst,
  startFakeM365,
  tokenAnswer,
  tokenPosts,
  USER,
  type FakeAnswer,
  type FakeServer,
} from './helpers/fake-m365.js';

const servers: FakeServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

const EXO = 'https://outlook.office.com';
const FULL_SCOPE = `${EXO}/IMAP.AccessAsUser.All ${EXO}/POP.AccessAsUser.All ${EXO}/SMTP.Send ${EXO}/.default`;

async function judge(answer: FakeAnswer) {
  const fake = await startFakeM365((req) => (req.path.endsWith('/oauth2/v2.0/token') ? answer : undefined));
  servers.push(fake);
  const run = await runAgainst(fake, { only: ['ropc-scopes'] });
  expect(tokenPosts(fake)).toHaveLength(1);
  return { r: run.get('ropc-scopes')!, token: run.get('ropc-token')!, fake };
}

describe("ropc-scopes on tokens shaped unlike the emulator's", { timeout: 30_000 }, () => {
  it('baseline: an Entra-shaped v1 token fits', async () => {
    const { r } = await judge(tokenAnswer(jwt(exchangeClaims()), { scope: FULL_SCOPE }));
    expect([r.status, r.code]).toEqual(['pass', 'TOKEN_FITS']);
  });

  it("no scp claim: the scopes come from the token response's scope field", async () => {
    const { r } = await judge(tokenAnswer(jwt(exchangeClaims({ scp: undefined })), { scope: FULL_SCOPE }));
    expect([r.status, r.code]).toEqual(['pass', 'TOKEN_FITS']);
    expect(r.evidence.scp).toContain('IMAP.AccessAsUser.All');
  });

  it('no scp claim: a Dovecot-style `scope` claim is read', async () => {
    const { r } = await judge(
      tokenAnswer(
        jwt(exchangeClaims({ scp: undefined, scope: 'IMAP.AccessAsUser.All POP.AccessAsUser.All SMTP.Send' })),
      ),
    );
    expect([r.status, r.code]).toEqual(['pass', 'TOKEN_FITS']);
  });

  it('scopes only in the response, SMTP.Send absent: SCOPE_MISSING names it', async () => {
    const { r } = await judge(
      tokenAnswer(jwt(exchangeClaims({ scp: undefined })), {
        scope: `${EXO}/IMAP.AccessAsUser.All ${EXO}/POP.AccessAsUser.All`,
      }),
    );
    expect([r.status, r.code]).toEqual(['fail', 'SCOPE_MISSING']);
    expect(r.message).toContain('SMTP.Send');
    expect(r.message).not.toContain('IMAP.AccessAsUser.All');
  });

  it.each([
    ['preferred_username', { preferred_username: USER }],
    ['email', { email: USER }],
    ['unique_name', { unique_name: USER }],
  ])('scp but no upn, the user only in %s: fits', async (_name, user) => {
    const { r } = await judge(
      tokenAnswer(jwt(exchangeClaims({ upn: undefined, unique_name: undefined, ...user })), { scope: FULL_SCOPE }),
    );
    expect([r.status, r.code]).toEqual(['pass', 'TOKEN_FITS']);
  });

  it('no user claim at all: not a UPN_MISMATCH (nothing to compare), the rest is judged', async () => {
    const { r } = await judge(
      tokenAnswer(jwt(exchangeClaims({ upn: undefined, unique_name: undefined })), { scope: FULL_SCOPE }),
    );
    expect([r.status, r.code]).toEqual(['pass', 'TOKEN_FITS']);
    expect(r.evidence.upn).toBeNull();
  });

  it('an array aud holding the Exchange resource fits', async () => {
    const { r } = await judge(
      tokenAnswer(
        jwt(exchangeClaims({ aud: ['00000002-0000-0ff1-ce00-000000000000', 'https://outlook.office.com'] })),
        { scope: FULL_SCOPE },
      ),
    );
    expect([r.status, r.code]).toEqual(['pass', 'TOKEN_FITS']);
  });

  it('an opaque token with Exchange scopes in the response: judged from the response, not WRONG_TOKEN_AUDIENCE', async () => {
    const { r, token } = await judge(tokenAnswer('EwBwA8l6BAAUopaqueTokenNotAJwt0123456789', { scope: FULL_SCOPE }));
    expect([token.status, token.code]).toEqual(['pass', 'ROPC_OK']);
    expect([r.status, r.code]).toEqual(['pass', 'TOKEN_FITS']);
  });

  it("an opaque token whose response scopes are Graph's: WRONG_TOKEN_AUDIENCE from the response", async () => {
    const { r } = await judge(
      tokenAnswer('EwBwA8l6BAAUopaqueTokenNotAJwt0123456789', {
        scope: 'https://graph.microsoft.com/Mail.Read https://graph.microsoft.com/.default',
      }),
    );
    expect([r.status, r.code]).toEqual(['fail', 'WRONG_TOKEN_AUDIENCE']);
  });

  it('an opaque token and no scope in the response: cannot be judged, says so (warn), never a fail', async () => {
    const { r, token } = await judge(tokenAnswer('EwBwA8l6BAAUopaqueTokenNotAJwt0123456789'));
    expect([r.status, r.code]).toEqual(['warn', 'TOKEN_UNREADABLE']);
    expect(r.message).toMatch(/not a JWT/i);
    // The scopes that were asked are not reported as granted.
    expect(token.message).toMatch(/with scopes \(none named by Entra or the token\)\.$/);
  });
});

describe("app-roles-exchange on app-only tokens shaped unlike the emulator's", { timeout: 30_000 }, () => {
  async function appOnly(accessToken: string) {
    const fake = await startFakeM365((req) =>
      req.path.endsWith('/oauth2/v2.0/token') && req.form.get('grant_type') === 'client_credentials'
        ? tokenAnswer(accessToken)
        : undefined,
    );
    servers.push(fake);
    const run = await runAgainst(fake, {
      only: ['app-roles-exchange'],
      inputs: {
        profile: 'app-only',
        clientSecret: 'connector-secret-value-0123456789',
        activities: ['read-imap', 'read-pop'],
      },
    });
    expect(tokenPosts(fake)).toHaveLength(0);
    return run.get('app-roles-exchange')!;
  }
  const appClaims = (roles: unknown) =>
    exchangeClaims({
      aud: 'https://outlook.office365.com',
      scp: undefined,
      upn: undefined,
      unique_name: undefined,
      roles,
    });

  it('roles as an array (Entra): ROLES_OK', async () => {
    const r = await appOnly(jwt(appClaims(['IMAP.AccessAsApp', 'POP.AccessAsApp'])));
    expect([r.status, r.code]).toEqual(['pass', 'ROLES_OK']);
  });

  it('roles as a space-separated string: read, ROLES_OK', async () => {
    const r = await appOnly(jwt(appClaims('IMAP.AccessAsApp POP.AccessAsApp')));
    expect([r.status, r.code]).toEqual(['pass', 'ROLES_OK']);
  });

  it('a JWT without roles holds none: ROLES_MISSING', async () => {
    const r = await appOnly(jwt(appClaims(undefined)));
    expect([r.status, r.code]).toEqual(['fail', 'ROLES_MISSING']);
  });

  it('an opaque app-only token: ROLES_UNREADABLE (warn), not ROLES_MISSING', async () => {
    const r = await appOnly('EwBwA8l6BAAUopaqueAppTokenNotAJwt0123456789');
    expect([r.status, r.code]).toEqual(['warn', 'ROLES_UNREADABLE']);
  });
});
