// The client-credentials requests started before discovery (prefetchAppOnly, prefetchAdmin): each goes out without
// waiting for the discovery document, appOnly / admin take its answer (token or refusal) when discovery names the same
// token endpoint and ask again when it names another, and nothing is sent early without a secret.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenBroker, sameTokenEndpoint } from '../../src/auth/broker.js';
import type { ResolvedConfig } from '../../src/config/types.js';
import type { EntraError } from '../../src/core/errors.js';
import { Secret } from '../../src/core/secret.js';
import { silentLogger } from '../../src/core/log.js';
import { createHttpsTransport } from '../../src/net/https.js';
import { Redactor } from '../../src/core/redact.js';
import { testConfig } from './helpers/config.js';
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

function broker(over: Partial<ResolvedConfig> = {}) {
  const config = testConfig({
    caPem: ca.caPem,
    endpoints: { authorityHost: entra.url, graphUrl: 'https://127.0.0.1:1' },
    ...over,
  });
  const transport = createHttpsTransport({ caPem: config.caPem, timeoutMs: config.timeoutMs });
  return createTokenBroker(config, { transport, redactor: new Redactor(), log: silentLogger });
}

const seenSince = (n: number) => entra.seen.slice(n);
const isDiscovery = (s: { pathname: string }) => s.pathname.endsWith('/openid-configuration');
const isAppPost = (s: { form: Record<string, string> }) => s.form.grant_type === 'client_credentials';

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 5));
}

describe('early client-credentials request', () => {
  it('goes out before discovery is asked, and appOnly uses its token: one POST in all', async () => {
    const from = entra.seen.length;
    const b = broker();
    b.prefetchAppOnly!('graph');
    await until(() => seenSince(from).some(isAppPost));
    expect(seenSince(from).some(isDiscovery)).toBe(false);
    const t = await b.appOnly('graph');
    expect(t.claims.aud).toBe('https://graph.microsoft.com');
    expect(seenSince(from).filter(isAppPost)).toHaveLength(1);
    // The early POST went to the configured authority's token endpoint, with the same form a later one would have.
    const post = seenSince(from).find(isAppPost)!;
    expect(post.pathname).toBe('/contoso.test/oauth2/v2.0/token');
    expect(post.form.scope).toBe('https://graph.microsoft.com/.default');
    expect(seenSince(from).filter(isDiscovery)).toHaveLength(1);
    expect(b.tokenPosts['app-graph']).toBe(1);
  });

  it('a refusal is the answer too: appOnly reports it without asking again', async () => {
    entra.script.token = (form) =>
      isAppPost({ form })
        ? entraErrorAnswer(401, 'invalid_client', 7000215, 'Invalid client secret provided.')
        : undefined;
    try {
      const from = entra.seen.length;
      const b = broker();
      b.prefetchAppOnly!('graph');
      const e = (await b.appOnly('graph').catch((x: unknown) => x)) as EntraError;
      expect(e.info).toMatchObject({ httpStatus: 401, error: 'invalid_client', aadsts: 7000215 });
      expect(seenSince(from).filter(isAppPost)).toHaveLength(1);
    } finally {
      entra.script.token = undefined;
    }
  });

  it('when discovery names a token endpoint on another host, appOnly asks there instead', async () => {
    const other = entra.url.replace('127.0.0.1', 'localhost');
    entra.script.discovery = () => ({
      status: 200,
      body: JSON.stringify({
        issuer: `${other}/${TID}/v2.0`,
        authorization_endpoint: `${other}/${TID}/oauth2/v2.0/authorize`,
        token_endpoint: `${other}/${TID}/oauth2/v2.0/token`,
        jwks_uri: `${other}/${TID}/discovery/v2.0/keys`,
      }),
    });
    try {
      const from = entra.seen.length;
      const b = broker();
      b.prefetchAppOnly!('graph');
      await b.appOnly('graph');
      expect(seenSince(from).filter(isAppPost)).toHaveLength(2);
      expect(b.tokenPosts['app-graph']).toBe(2);
    } finally {
      entra.script.discovery = undefined;
    }
  });

  it('sends nothing early without a client secret', async () => {
    const from = entra.seen.length;
    const b = broker({ clientSecret: undefined });
    b.prefetchAppOnly!('graph');
    await b.discovery();
    await new Promise((r) => setTimeout(r, 50));
    expect(seenSince(from).filter(isAppPost)).toHaveLength(0);
  });

  it('matches endpoints by origin and v2 token path', () => {
    const host = 'https://login.microsoftonline.com';
    expect(sameTokenEndpoint({ token_endpoint: `${host}/${TID}/oauth2/v2.0/token` }, host)).toBe(true);
    expect(
      sameTokenEndpoint({ token_endpoint: `https://login.microsoftonline.us/${TID}/oauth2/v2.0/token` }, host),
    ).toBe(false);
    expect(sameTokenEndpoint({ token_endpoint: `${host}/${TID}/oauth2/token` }, host)).toBe(false);
    expect(sameTokenEndpoint({ token_endpoint: 'not a url' }, host)).toBe(false);
  });

  describe("the directory reader's token (prefetchAdmin)", () => {
    const ADMIN_ID = '99999999-8888-7777-6666-555555555555';
    const withReader = (secret = 'r3ader~secret~value') =>
      broker({ admin: { kind: 'client-secret', clientId: ADMIN_ID, clientSecret: new Secret(secret) } });
    const isAdminPost = (s: { form: Record<string, string> }) => isAppPost(s) && s.form.client_id === ADMIN_ID;

    it('goes out before discovery is asked, with its own client id, and admin uses it: one POST in all', async () => {
      const from = entra.seen.length;
      const b = withReader();
      b.prefetchAdmin!();
      await until(() => seenSince(from).some(isAdminPost));
      expect(seenSince(from).some(isDiscovery)).toBe(false);
      const t = await b.admin();
      expect(t.claims.aud).toBe('https://graph.microsoft.com');
      expect(seenSince(from).filter(isAdminPost)).toHaveLength(1);
      expect(seenSince(from).find(isAdminPost)!.form.scope).toBe('https://graph.microsoft.com/.default');
      // The connector's app sent nothing: only the reader was asked for.
      expect(seenSince(from).filter((s) => isAppPost(s) && !isAdminPost(s))).toHaveLength(0);
      expect(b.tokenPosts.admin).toBe(1);
    });

    it('a refusal is the answer too: admin reports it without asking again', async () => {
      entra.script.token = (form) =>
        form.client_id === ADMIN_ID
          ? entraErrorAnswer(401, 'invalid_client', 7000215, 'Invalid client secret provided.')
          : undefined;
      try {
        const from = entra.seen.length;
        const b = withReader();
        b.prefetchAdmin!();
        const e = (await b.admin().catch((x: unknown) => x)) as EntraError;
        expect(e.info).toMatchObject({ httpStatus: 401, aadsts: 7000215 });
        expect(seenSince(from).filter(isAdminPost)).toHaveLength(1);
      } finally {
        entra.script.token = undefined;
      }
    });

    it('sends nothing early for a device-code reader, or with no reader', async () => {
      const from = entra.seen.length;
      for (const b of [broker({ admin: { kind: 'device-code' } }), broker()]) {
        b.prefetchAdmin!();
        await b.discovery();
      }
      await new Promise((r) => setTimeout(r, 50));
      expect(
        seenSince(from).filter((s) => s.pathname.endsWith('/token') || s.pathname.endsWith('/devicecode')),
      ).toHaveLength(0);
    });
  });
});
