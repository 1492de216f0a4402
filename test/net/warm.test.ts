// Connections opened at run start (transport.warm): the first requests use them instead of connecting, nothing
// is sent on them before a request, and an unused one neither holds the process nor outlives the idle bound.
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpsTransport } from '../../src/net/https.js';
import { ca, startServer, type TestServer } from './helpers/servers.js';

const servers: TestServer[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
});
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('warm HTTPS connections', () => {
  it('opens the connections at once and sends nothing on them until requests come', async () => {
    const s = await startServer();
    servers.push(s);
    const t = createHttpsTransport({ caPem: ca.caPem, timeoutMs: 5000 });
    t.warm!(s.url, 3);
    await pause(300);
    expect(s.connections).toBe(3);
    expect(s.requests).toHaveLength(0);
    // Three requests side by side take the three warm connections; none opens a fourth.
    const answers = await Promise.all([1, 2, 3].map((i) => t.request({ method: 'GET', url: `${s.url}/r${i}` })));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(s.connections).toBe(3);
    expect(s.requests.map((r) => r.onConnection)).toEqual([1, 1, 1]);
  });

  it('never warms more than asked, across calls', async () => {
    const s = await startServer();
    servers.push(s);
    const t = createHttpsTransport({ caPem: ca.caPem, timeoutMs: 5000 });
    t.warm!(s.url, 2);
    t.warm!(s.url, 2);
    await pause(300);
    expect(s.connections).toBe(2);
  });

  it('closes a warm connection nobody used within the idle bound', async () => {
    const s = await startServer();
    servers.push(s);
    const t = createHttpsTransport({ caPem: ca.caPem, timeoutMs: 5000, idleSocketMs: 100 });
    t.warm!(s.url, 1);
    await pause(400);
    // The stale one is gone: the request connects anew and is the first on its connection.
    expect((await t.request({ method: 'GET', url: `${s.url}/late` })).status).toBe(200);
    expect(s.connections).toBe(2);
    expect(s.requests).toEqual([{ method: 'GET', onConnection: 1 }]);
  });

  it('a warm connection that failed leaves the request to connect and report on its own', async () => {
    const s = await startServer();
    servers.push(s);
    const url = s.url;
    await servers.pop()!.close();
    const t = createHttpsTransport({ caPem: ca.caPem, timeoutMs: 2000 });
    t.warm!(url, 1);
    await pause(100);
    await expect(t.request({ method: 'GET', url: `${url}/x` })).rejects.toMatchObject({ code: 'CONNECTION_REFUSED' });
  });
});
