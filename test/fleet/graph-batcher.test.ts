// Graph JSON batching: up to 20 reads per POST, answers matched by id, errors per item, and a plain read
// for what a batch cannot serve. The emulator's $batch endpoint answers each item as a lone GET would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { createGraphBatcher } from '../../src/fleet/graph-batcher.js';
import { GraphError } from '../../src/core/errors.js';
import { createHttpsTransport, type HttpsRequest, type HttpsTransport } from '../../src/net/https.js';
import type { TokenInfo } from '../../src/clients/types.js';

const token = async () => ({ accessToken: 'tok', claims: {}, hasRefreshToken: false }) as TokenInfo;

function scripted(
  answer: (items: Array<{ id: string; url: string }>) => { status: number; body: unknown },
): HttpsTransport & { posts: HttpsRequest[] } {
  const posts: HttpsRequest[] = [];
  return {
    posts,
    async request(req) {
      posts.push(req);
      const { status, body } = answer(
        (JSON.parse(req.body!) as { requests: Array<{ id: string; url: string }> }).requests,
      );
      return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), url: req.url };
    },
  };
}

describe('graph batcher', () => {
  it('sends 25 reads as 2 batches (20 + 5) and hands each caller its own answer', async () => {
    const t = scripted((items) => ({
      status: 200,
      body: { responses: [...items].reverse().map((i) => ({ id: i.id, status: 200, body: { url: i.url } })) },
    }));
    const b = createGraphBatcher({ graphUrl: 'https://graph.example', transport: t, token, timeoutMs: 1000 });
    const fallback = () => Promise.reject(new Error('no fallback expected'));
    const paths = Array.from({ length: 25 }, (_, i) => `/users/u${i}`);
    const got = await Promise.all(paths.map((p) => b.get(p, 'app', fallback)));
    expect(got).toEqual(paths.map((url) => ({ url })));
    expect(t.posts.map((p) => (JSON.parse(p.body!) as { requests: unknown[] }).requests.length)).toEqual([20, 5]);
    expect(t.posts[0]).toMatchObject({ method: 'POST', url: 'https://graph.example/v1.0/$batch' });
    expect(t.posts[0].headers).toMatchObject({ authorization: 'Bearer tok' });
    expect([b.batches, b.served]).toEqual([2, 25]);
  });

  it('rejects an item Graph refused, reads a throttled item alone, and reads everything alone when the batch fails', async () => {
    const t = scripted((items) => ({
      status: 200,
      body: {
        responses: items.map((i) =>
          i.url === '/users/gone'
            ? { id: i.id, status: 404, body: { error: { code: 'Request_ResourceNotFound', message: 'nope' } } }
            : { id: i.id, status: 429, headers: { 'retry-after': '1' }, body: {} },
        ),
      },
    }));
    const b = createGraphBatcher({ graphUrl: 'https://graph.example', transport: t, token, timeoutMs: 1000 });
    const [gone, busy] = await Promise.allSettled([
      b.get('/users/gone', 'admin', async () => 'x'),
      b.get('/users/busy', 'admin', async () => 'read alone'),
    ]);
    expect(gone.status === 'rejected' && gone.reason).toBeInstanceOf(GraphError);
    expect(gone.status === 'rejected' && (gone.reason as GraphError).info).toMatchObject({
      status: 404,
      code: 'Request_ResourceNotFound',
      path: '/users/gone',
    });
    expect(busy).toEqual({ status: 'fulfilled', value: 'read alone' });

    const broken = createGraphBatcher({
      graphUrl: 'https://graph.example',
      transport: scripted(() => ({ status: 500, body: {} })),
      token,
      timeoutMs: 1000,
    });
    expect(await broken.get('/users/a', 'app', async () => 'alone')).toBe('alone');
  });
});

describe('emulated Graph $batch', () => {
  let e: RunningEmulator;
  beforeAll(async () => {
    e = await startEmulator();
  });
  afterAll(async () => {
    await e?.stop();
  });

  async function appToken(): Promise<string> {
    const c = e.credentials;
    const t = createHttpsTransport({ caPem: e.caPem, timeoutMs: 5000 });
    const res = await t.request({
      method: 'POST',
      url: `${e.authorityHost}/${c.tenantId}/oauth2/v2.0/token`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: c.clientId,
        client_secret: c.clientSecret,
        scope: 'https://graph.microsoft.com/.default',
      }).toString(),
    });
    return (JSON.parse(res.body) as { access_token: string }).access_token;
  }

  it('answers each GET as it would alone, refuses writes inside a batch and logs one request', async () => {
    const transport = createHttpsTransport({ caPem: e.caPem, timeoutMs: 5000 });
    const tok = await appToken();
    const b = createGraphBatcher({
      graphUrl: e.graphUrl,
      transport,
      token: async () => ({ accessToken: tok, claims: {}, hasRefreshToken: false }),
      timeoutMs: 5000,
    });
    e.log.clear();
    const upn = e.credentials.username;
    const fallback = () => Promise.reject(new Error('fallback'));
    const [user, missing] = await Promise.allSettled([
      b.get(`/users/${encodeURIComponent(upn)}?$select=id,userPrincipalName`, 'app', fallback),
      b.get('/users/nobody%40example.com', 'app', fallback),
    ]);
    expect(user).toMatchObject({ status: 'fulfilled', value: { userPrincipalName: upn } });
    expect(missing.status === 'rejected' && (missing.reason as GraphError).info.status).toBe(404);
    expect(
      e.log.entries
        .filter((x) => x.service === 'graph')
        .map((x) => `${x.method} ${x.target.split('?')[0]} ${x.result}`),
    ).toEqual(['POST /v1.0/$batch 200']);

    const post = (body: unknown) =>
      transport.request({
        method: 'POST',
        url: `${e.graphUrl}/v1.0/$batch`,
        headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const write = JSON.parse((await post({ requests: [{ id: '1', method: 'PATCH', url: '/users/x' }] })).body);
    expect(write.responses[0].status).toBe(405);
    expect(
      (
        await post({
          requests: Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/organization' })),
        })
      ).status,
    ).toBe(400);
    expect((await post({ requests: 'nope' })).status).toBe(400);
  });
});
