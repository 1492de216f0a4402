// The group transport: discovery fetched once, a 429 pauses the whole group, a reset GET is sent again once.
import { describe, expect, it } from 'vitest';
import { NetError } from '../../src/core/errors.js';
import type { HttpsRequest, HttpsResponse, HttpsTransport } from '../../src/net/https.js';
import { sharedTransport } from '../../src/fleet/shared-transport.js';

function fake(
  answers: Array<Partial<HttpsResponse> | Error>,
): HttpsTransport & { seen: Array<{ req: HttpsRequest; at: number }> } {
  const seen: Array<{ req: HttpsRequest; at: number }> = [];
  return {
    seen,
    async request(req) {
      seen.push({ req, at: Date.now() });
      const a = answers.shift() ?? { status: 200 };
      if (a instanceof Error) throw a;
      return { status: 200, headers: {}, body: '{}', url: req.url, ...a };
    },
  };
}

const DISCOVERY = 'https://login.example/contoso.com/v2.0/.well-known/openid-configuration';

describe('shared transport', () => {
  it("fetches a tenant's discovery document once for all targets, but not a failed one", async () => {
    const inner = fake([{ status: 503 }, { status: 200 }]);
    const t = sharedTransport(inner);
    expect((await t.request({ method: 'GET', url: DISCOVERY })).status).toBe(503);
    const answers = await Promise.all([1, 2, 3].map(() => t.request({ method: 'GET', url: DISCOVERY })));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(inner.seen).toHaveLength(2);
    await t.request({ method: 'GET', url: 'https://graph.example/v1.0/users/x' });
    await t.request({ method: 'GET', url: 'https://graph.example/v1.0/users/x' });
    expect(inner.seen).toHaveLength(4);
  });

  it('holds back every request of the group for the Retry-After of a 429', async () => {
    const inner = fake([{ status: 429, headers: { 'retry-after': '1' } }]);
    const t = sharedTransport(inner);
    const first = await t.request({ method: 'GET', url: 'https://graph.example/v1.0/a' });
    expect(first.status).toBe(429);
    await t.request({ method: 'POST', url: 'https://login.example/t/oauth2/v2.0/token', body: 'x' });
    expect(inner.seen[1].at - inner.seen[0].at).toBeGreaterThanOrEqual(950);
    expect(t.stats).toMatchObject({ throttled: 1, sent: 2 });
  });

  it('leaves connection resets to the transport below: nothing is sent twice at this layer', async () => {
    const reset = () => new NetError('CONNECTION_RESET', 'graph.example', 'response', 'reset');
    const inner = fake([reset(), reset()]);
    const t = sharedTransport(inner);
    await expect(t.request({ method: 'GET', url: 'https://graph.example/v1.0/a' })).rejects.toThrow('reset');
    await expect(
      t.request({ method: 'POST', url: 'https://login.example/t/oauth2/v2.0/token', body: 'x' }),
    ).rejects.toThrow('reset');
    expect(inner.seen).toHaveLength(2);
    expect(t.stats.sent).toBe(2);
  });
});
