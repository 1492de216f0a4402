// TokenBroker against a local Entra stand-in: claims, refresh tokens, the one-attempt rule, AADSTS mapping.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVICE_CODE_CLIENT_ID, createTokenBroker } from '../../src/auth/broker.js';
import { EntraError, NetError, NoDirectoryReaderError } from '../../src/core/errors.js';
import { createHttpsTransport } from '../../src/net/https.js';
import { Redactor } from '../../src/core/redact.js';
import { silentLogger } from '../../src/core/log.js';
import { Secret } from '../../src/core/secret.js';
import type { ResolvedConfig } from '../../src/config/types.js';
import { CLIENT_SECRET, testConfig } from './helpers/config.js';
import { TID, entraErrorAnswer, startFakeEntra, type FakeEntra } from './helpers/fake-entra.js';
import { createTestCa } from './helpers/test-ca.js';

const ca = createTestCa();
let entra: FakeEntra;
beforeAll(async () => {
  entra = await startFakeEntra(ca.issue());
});
afterAll(async () => {
  await entra.close();
});

function broker(over: Partial<ResolvedConfig> = {}, onDeviceCode?: (m: string) => void) {
  const config = testConfig({
    caPem: ca.caPem,
    endpoints: { authorityHost: entra.url, graphUrl: 'https://127.0.0.1:1' },
    ...over,
  });
  const redactor = new Redactor();
  const transport = createHttpsTransport({ caPem: config.caPem, timeoutMs: config.timeoutMs });
  return { b: createTokenBroker(config, { transport, redactor, log: silentLogger, onDeviceCode }), redactor, config };
}

describe('discovery and user realm', () => {
  it('returns the tenant discovery document', async () => {
    const { b } = broker();
    const doc = await b.discovery();
    expect(doc.issuer).toBe(`${entra.url}/${TID}/v2.0`);
    expect(doc.cloud_instance_name).toBe('microsoftonline.com');
  });

  it('shows AADSTS90002 for an unknown tenant, with trace and correlation ids', async () => {
    const { b } = broker({ tenant: 'typo.test' });
    const err = await b.discovery().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EntraError);
    const e = err as EntraError;
    expect(e.code).toBe('AADSTS90002');
    expect(e.info).toMatchObject({ httpStatus: 400, error: 'invalid_tenant', errorCodes: [90002] });
    expect(e.info.description).toMatch(/^AADSTS90002: Tenant 'typo.test' not found/);
    expect(e.info.description).not.toMatch(/Trace ID/);
    expect(e.info.traceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(e.info.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("a token request for an unknown tenant reports the discovery answer, not MSAL's endpoints_resolution_error", async () => {
    const { b } = broker({ tenant: 'typo.test' });
    await expect(b.ropc()).rejects.toMatchObject({ code: 'AADSTS90002' });
  });

  it('asks userrealm with the encoded UPN and api-version 2.0', async () => {
    const { b } = broker({ username: 'a+b@contoso.test' });
    const realm = await b.userRealm();
    expect(realm).toMatchObject({ NameSpaceType: 'Managed', Login: 'a+b@contoso.test' });
    expect(entra.seen.some((s) => s.path === '/common/userrealm/a%2Bb%40contoso.test?api-version=2.0')).toBe(true);
  });

  it('turns an HTML answer into BAD_RESPONSE naming the content type', async () => {
    entra.script.discovery = () => ({ status: 502, body: '<html><body>Bad gateway</body></html>', type: 'text/html' });
    try {
      const err = await broker()
        .b.discovery()
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NetError);
      expect(err).toMatchObject({ code: 'BAD_RESPONSE', phase: 'discovery' });
      expect((err as Error).message).toContain('text/html');
    } finally {
      entra.script.discovery = undefined;
    }
  });
});

describe('ROPC', () => {
  it('returns the Exchange token with claims, granted scope and a refresh token', async () => {
    const { b, redactor } = broker();
    const t = await b.ropc();
    expect(t.claims.aud).toBe('https://outlook.office.com');
    expect(t.claims.upn).toBe('connector@contoso.test');
    expect(t.claims.scp).toBe('IMAP.AccessAsUser.All POP.AccessAsUser.All SMTP.Send');
    expect(t.scope).toContain('https://outlook.office.com/SMTP.Send');
    expect(t.hasRefreshToken).toBe(true);
    expect(Date.parse(t.expiresOn!)).toBeGreaterThan(Date.now());
    expect(redactor.scrub(`x ${t.accessToken} y`)).toBe('x [REDACTED] y');
    const post = entra.seen.filter((s) => s.form.grant_type === 'password').at(-1)!;
    expect(post.form.scope.split(' ')).toEqual(
      expect.arrayContaining([
        'https://outlook.office.com/IMAP.AccessAsUser.All',
        'https://outlook.office.com/POP.AccessAsUser.All',
        'https://outlook.office.com/SMTP.Send',
        'offline_access',
      ]),
    );
    expect(post.form.client_secret).toBe(CLIENT_SECRET);
    // The refresh and id tokens never leave MSAL, yet they were registered with the redactor on arrival.
    const issuedHere = entra.issued.slice(-3);
    expect(issuedHere.some((x) => x.startsWith('rt-'))).toBe(true);
    for (const secret of issuedHere) expect(redactor.scrub(`<${secret}>`)).toBe('<[REDACTED]>');
  });

  it('asks only for the scopes of the configured activities', async () => {
    const { b } = broker({ activities: ['read-imap'] });
    const t = await b.ropc();
    expect(t.claims.scp).toBe('IMAP.AccessAsUser.All');
  });

  it('reports hasRefreshToken false when the server sends none', async () => {
    entra.script.token = (form) => {
      if (form.grant_type !== 'password') return undefined;
      const now = Math.floor(Date.now() / 1000);
      const at = `eyJ0eXAiOiJKV1QifQ.${Buffer.from(JSON.stringify({ aud: 'https://outlook.office.com', exp: now + 60 })).toString('base64url')}.c2lnbmF0dXJl`;
      return {
        status: 200,
        body: JSON.stringify({
          token_type: 'Bearer',
          expires_in: 60,
          access_token: at,
          scope: 'https://outlook.office.com/IMAP.AccessAsUser.All',
        }),
      };
    };
    try {
      const t = await broker().b.ropc();
      expect(t.hasRefreshToken).toBe(false);
    } finally {
      entra.script.token = undefined;
    }
  });

  it('makes exactly one attempt per run, even when a wrong password is asked for twice', async () => {
    entra.script.token = (form) =>
      form.grant_type === 'password'
        ? entraErrorAnswer(
            400,
            'invalid_grant',
            50126,
            'Error validating credentials due to invalid username or password.',
          )
        : undefined;
    try {
      const before = entra.tokenPosts('password');
      const { b } = broker({ password: new Secret('wrong-password-123') });
      const [a, c] = await Promise.allSettled([b.ropc(), b.ropc()]);
      const later = await b.ropc().catch((e: unknown) => e);
      expect(a.status).toBe('rejected');
      expect(c.status).toBe('rejected');
      expect(later).toBe((a as PromiseRejectedResult).reason);
      expect(entra.tokenPosts('password') - before).toBe(1);
      expect(b.tokenPosts.ropc).toBe(1);
      const e = later as EntraError;
      expect(e).toBeInstanceOf(EntraError);
      expect(e.info).toMatchObject({ httpStatus: 400, error: 'invalid_grant', aadsts: 50126, errorCodes: [50126] });
      expect(e.info.description).toBe('AADSTS50126: Error validating credentials due to invalid username or password.');
      expect(e.info.traceId).toMatch(/^[0-9a-f-]{36}$/);
      expect(e.info.correlationId).toMatch(/^[0-9a-f-]{36}$/);
      expect(e.info.timestamp).toBe('2026-11-02 10:00:00Z');
      expect(JSON.stringify({ ...e, message: e.message })).not.toContain('wrong-password-123');
    } finally {
      entra.script.token = undefined;
    }
  });

  it('maps MFA-required (interaction required) with its suberror', async () => {
    entra.script.token = (form) =>
      form.grant_type === 'password'
        ? entraErrorAnswer(
            400,
            'invalid_grant',
            50076,
            "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '00000002-0000-0ff1-ce00-000000000000'.",
            { suberror: 'basic_action', claims: '{"access_token":{"capolids":{"essential":true,"values":["x"]}}}' },
          )
        : undefined;
    try {
      const e = (await broker()
        .b.ropc()
        .catch((x: unknown) => x)) as EntraError;
      expect(e).toBeInstanceOf(EntraError);
      expect(e.code).toBe('AADSTS50076');
      expect(e.info.suberror).toBe('basic_action');
      expect(e.info.error).toBe('invalid_grant');
    } finally {
      entra.script.token = undefined;
    }
  });

  it('maps password-expired (401) with its own error class', async () => {
    entra.script.token = (form) =>
      form.grant_type === 'password'
        ? entraErrorAnswer(401, 'user_password_expired', 50055, 'The password is expired.', {
            suberror: 'user_password_expired',
            password_change_url: 'https://portal.test/ChangePassword.aspx',
          })
        : undefined;
    try {
      const e = (await broker()
        .b.ropc()
        .catch((x: unknown) => x)) as EntraError;
      expect(e.info).toMatchObject({
        httpStatus: 401,
        error: 'user_password_expired',
        aadsts: 50055,
        suberror: 'user_password_expired',
      });
    } finally {
      entra.script.token = undefined;
    }
  });

  it('turns truncated JSON from the token endpoint into BAD_RESPONSE', async () => {
    entra.script.token = () => ({ status: 200, body: '{"token_type":"Bearer","access_tok' });
    try {
      const e = await broker()
        .b.ropc()
        .catch((x: unknown) => x);
      expect(e).toBeInstanceOf(NetError);
      expect(e).toMatchObject({ code: 'BAD_RESPONSE' });
      expect((e as Error).message).toMatch(/invalid or truncated JSON/);
    } finally {
      entra.script.token = undefined;
    }
  });

  it('needs a password', async () => {
    await expect(broker({ password: undefined }).b.ropc()).rejects.toMatchObject({
      name: 'ConfigError',
      field: 'password',
    });
  });
});

describe('app-only and directory reader', () => {
  it('asks client credentials for the real Graph resource even when graphUrl is local', async () => {
    const { b } = broker();
    const t = await b.appOnly('graph');
    expect(t.claims.aud).toBe('https://graph.microsoft.com');
    expect(t.hasRefreshToken).toBe(false);
    const post = entra.seen.filter((s) => s.form.grant_type === 'client_credentials').at(-1)!;
    expect(post.form.scope).toBe('https://graph.microsoft.com/.default');
    expect(await b.appOnly('graph')).toBe(t);
  });

  it("asks Exchange's .default for the Exchange app-only token and decodes its roles", async () => {
    const t = await broker().b.appOnly('exchange');
    expect(t.claims.aud).toBe('https://outlook.office365.com');
    expect(t.claims.roles).toEqual(['IMAP.AccessAsApp']);
  });

  it('maps a wrong client secret to AADSTS7000215 (401 invalid_client)', async () => {
    entra.script.token = (form) =>
      form.grant_type === 'client_credentials'
        ? entraErrorAnswer(
            401,
            'invalid_client',
            7000215,
            'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.',
          )
        : undefined;
    try {
      const e = (await broker()
        .b.appOnly('exchange')
        .catch((x: unknown) => x)) as EntraError;
      expect(e.info).toMatchObject({ httpStatus: 401, error: 'invalid_client', aadsts: 7000215 });
    } finally {
      entra.script.token = undefined;
    }
  });

  it('without --admin the directory reader is missing', async () => {
    await expect(broker().b.admin()).rejects.toBeInstanceOf(NoDirectoryReaderError);
  });

  it("uses the auditing app's own credentials for client-secret", async () => {
    const { b } = broker({
      admin: {
        kind: 'client-secret',
        clientId: 'adadadad-0000-0000-0000-000000000001',
        clientSecret: new Secret('admin-secret-value-42'),
      },
    });
    const t = await b.admin();
    expect(t.claims.appid).toBe('adadadad-0000-0000-0000-000000000001');
    expect(t.claims.aud).toBe('https://graph.microsoft.com');
  });

  it('hands the device-code message to the caller and polls until approved', async () => {
    const messages: string[] = [];
    const { b } = broker({ admin: { kind: 'device-code' } }, (m) => messages.push(m));
    const t = await b.admin();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('ABCD-EFGH');
    expect(t.claims.scp).toBe('Directory.Read.All Application.Read.All Policy.Read.All');
    // One "authorization_pending" answer, then the token: MSAL polled twice.
    const polls = entra.seen.filter((s) => s.form.grant_type === 'device_code');
    expect(polls).toHaveLength(2);
    expect(polls[0].form.client_id).toBe(DEVICE_CODE_CLIENT_ID);
  }, 15000);

  it('reports an unreachable authority as CONNECTION_REFUSED', async () => {
    const { b } = broker({ endpoints: { ...testConfig().endpoints, authorityHost: 'https://127.0.0.1:9' } });
    await expect(b.appOnly('graph')).rejects.toMatchObject({
      name: 'NetError',
      code: 'CONNECTION_REFUSED',
      host: '127.0.0.1:9',
    });
  });
});
