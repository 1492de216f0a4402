// GraphReader against a local HTTPS Graph stand-in: auth header per identity, paging, memoization,
// error mapping, 429 handling within the deadline, and non-JSON answers.
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenBroker, TokenInfo } from '../../src/clients/types.js';
import { GraphError, NetError, NoDirectoryReaderError } from '../../src/core/errors.js';
import { createGraphReader } from '../../src/graph/reader.js';
import { createHttpsTransport } from '../../src/net/https.js';
import { silentLogger } from '../../src/core/log.js';
import { testConfig } from './helpers/config.js';
import { createTestCa } from './helpers/test-ca.js';

const ca = createTestCa();
const APP = 'app-token-abc';
const ADMIN = 'admin-token-xyz';
type Handler = (
  path: string,
  auth: string | undefined,
) => { status: number; body: string; headers?: Record<string, string> };
let handler: Handler;
const hits: string[] = [];
let server: https.Server;
let base = '';

beforeAll(async () => {
  const tls = ca.issue();
  server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    hits.push(req.url ?? '');
    const a = handler(req.url ?? '', req.headers.authorization);
    res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
    res.end(a.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(
  () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
);

const info = (t: string): TokenInfo => ({ accessToken: t, claims: {}, hasRefreshToken: false });
function tokens(admin = true): TokenBroker {
  return {
    discovery: async () => ({}),
    userRealm: async () => ({}),
    ropc: async () => info('x'),
    appOnly: async () => info(APP),
    admin: async () => {
      if (!admin) throw new NoDirectoryReaderError();
      return info(ADMIN);
    },
  };
}
function reader(over: { timeoutMs?: number; admin?: boolean } = {}) {
  const config = testConfig({ caPem: ca.caPem, timeoutMs: over.timeoutMs ?? 4000, endpoints: { graphUrl: base } });
  return createGraphReader(config, {
    tokens: tokens(over.admin),
    transport: createHttpsTransport({ caPem: ca.caPem, timeoutMs: 4000 }),
    log: silentLogger,
  });
}
const graphErr = (status: number, code: string, message: string) => ({
  status,
  body: JSON.stringify({
    error: {
      code,
      message,
      innerError: { date: '2026-11-02T10:00:00', 'request-id': 'req-1234', 'client-request-id': 'c-1' },
    },
  }),
});

describe('GraphReader', () => {
  it('sends the app-only token for "app" and the reader token for "admin", through the custom host', async () => {
    const seenAuth: Array<string | undefined> = [];
    handler = (_p, auth) => {
      seenAuth.push(auth);
      return { status: 200, body: '{"id":"1"}' };
    };
    const g = reader();
    expect(await g.get('/organization/x', 'app')).toEqual({ id: '1' });
    await g.get('/organization/x', 'admin');
    expect(seenAuth).toEqual([`Bearer ${APP}`, `Bearer ${ADMIN}`]);
  });

  it('keeps $filter and $select intact on the wire', async () => {
    handler = (p) => ({ status: 200, body: JSON.stringify({ echo: decodeURIComponent(p) }) });
    const r = await reader().get<{ echo: string }>(
      "/servicePrincipals?$filter=appId eq '00000002-0000-0ff1-ce00-000000000000'&$select=id,appRoles",
      'app',
    );
    expect(r.echo).toBe(
      "/v1.0/servicePrincipals?$filter=appId eq '00000002-0000-0ff1-ce00-000000000000'&$select=id,appRoles",
    );
  });

  it('memoizes identical GETs within a run', async () => {
    let n = 0;
    handler = () => {
      n++;
      return { status: 200, body: '{"v":1}' };
    };
    const g = reader();
    const [a, b] = await Promise.all([g.get('/users/u1', 'app'), g.get('/users/u1', 'app')]);
    await g.get('/users/u1', 'app');
    expect(a).toBe(b);
    expect(n).toBe(1);
    expect(g.sent).toBe(1);
  });

  it('follows @odata.nextLink across pages', async () => {
    handler = (p) => {
      const page = Number(new URL(p, base).searchParams.get('$skiptoken') ?? 0);
      const value = [1, 2].map((i) => ({ id: `p${page}-${i}` }));
      const body: Record<string, unknown> = { value };
      if (page < 2) body['@odata.nextLink'] = `${base}/v1.0/users?$top=2&$skiptoken=${page + 1}`;
      return { status: 200, body: JSON.stringify(body) };
    };
    const items = await reader().list<{ id: string }>('/users?$top=2', 'app');
    expect(items.map((i) => i.id)).toEqual(['p0-1', 'p0-2', 'p1-1', 'p1-2', 'p2-1', 'p2-2']);
  });

  it('refuses a nextLink to another host (the token would follow it)', async () => {
    handler = () => ({
      status: 200,
      body: JSON.stringify({ value: [], '@odata.nextLink': 'https://evil.test/v1.0/users?$skiptoken=1' }),
    });
    await expect(reader().list('/users', 'app')).rejects.toMatchObject({
      code: 'BAD_RESPONSE',
      message: expect.stringContaining('evil.test'),
    });
  });

  it('maps 403 and 404 bodies to GraphError with code, message and request id', async () => {
    handler = (p) =>
      p.includes('secret')
        ? graphErr(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.')
        : graphErr(
            404,
            'Request_ResourceNotFound',
            "Resource 'nobody@contoso.test' does not exist or one of its queried reference-property objects are not present.",
          );
    const g = reader();
    const denied = await g.get('/policies/secret', 'app').catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(GraphError);
    expect((denied as GraphError).info).toEqual({
      status: 403,
      code: 'Authorization_RequestDenied',
      message: 'Insufficient privileges to complete the operation.',
      requestId: 'req-1234',
      path: '/policies/secret',
    });
    const missing = (await g.get('/users/nobody@contoso.test', 'app').catch((e: unknown) => e)) as GraphError;
    expect(missing.info).toMatchObject({ status: 404, code: 'Request_ResourceNotFound' });
  });

  it('honours 429 Retry-After and succeeds on a later try', async () => {
    let n = 0;
    handler = () =>
      ++n < 2
        ? {
            status: 429,
            body: graphErr(429, 'TooManyRequests', 'Too many requests').body,
            headers: { 'retry-after': '1' },
          }
        : { status: 200, body: '{"ok":true}' };
    const g = reader();
    const t0 = Date.now();
    expect(await g.get('/organization', 'app')).toEqual({ ok: true });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(g.sent).toBe(2);
  });

  it('gives up with THROTTLED after two retries, reporting the Retry-After seen', async () => {
    handler = () => ({
      status: 429,
      body: graphErr(429, 'TooManyRequests', 'Too many requests').body,
      headers: { 'retry-after': '1' },
    });
    const g = reader();
    const e = (await g.get('/subscribedSkus', 'app').catch((x: unknown) => x)) as NetError;
    expect(e).toBeInstanceOf(NetError);
    expect(e.code).toBe('THROTTLED');
    expect(e.detail).toMatchObject({ retryAfterSeconds: 1, retries: 2 });
    expect(g.sent).toBe(3);
  });

  it('never waits past the deadline: a long Retry-After fails at once', async () => {
    handler = () => ({ status: 429, body: '{}', headers: { 'retry-after': '120' } });
    const t0 = Date.now();
    const e = (await reader({ timeoutMs: 2000 })
      .get('/organization', 'app')
      .catch((x: unknown) => x)) as NetError;
    expect(e.code).toBe('THROTTLED');
    expect(e.detail.retryAfterSeconds).toBe(120);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it("the caller's signal ends its wait during a Retry-After pause", async () => {
    handler = () => ({ status: 429, body: '{}', headers: { 'retry-after': '2' } });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const t0 = Date.now();
    const e = (await reader()
      .get('/organization/2', 'app', { signal: ac.signal })
      .catch((x: unknown) => x)) as NetError;
    expect(e.code).toBe('ABORTED');
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('reports an HTML page instead of JSON as BAD_RESPONSE naming the content type', async () => {
    handler = () => ({
      status: 502,
      body: '<html>Bad Gateway</html>',
      headers: { 'content-type': 'text/html; charset=utf-8' },
    });
    const e = (await reader()
      .get('/users', 'app')
      .catch((x: unknown) => x)) as NetError;
    expect(e).toMatchObject({ name: 'NetError', code: 'BAD_RESPONSE' });
    expect(e.message).toContain('text/html');
  });

  it('lets NoDirectoryReaderError through unwrapped for the admin identity', async () => {
    await expect(reader({ admin: false }).get('/organization', 'admin')).rejects.toBeInstanceOf(NoDirectoryReaderError);
  });
});
