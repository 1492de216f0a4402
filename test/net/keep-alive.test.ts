// The transport's keep-alive pool never hands out a socket idle long enough that the server may be closing it.
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpsTransport } from '../../src/net/https.js';
import { answerJson, ca, startServer, type Handler, type TestServer } from './helpers/servers.js';

const servers: TestServer[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
});
const server = async (idleCloseMs?: number, handler?: Handler) => {
  const s = await startServer(handler, idleCloseMs);
  servers.push(s);
  return s;
};
const transport = (idleSocketMs: number) => createHttpsTransport({ caPem: ca.caPem, timeoutMs: 5000, idleSocketMs });
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('keep-alive pool', () => {
  it('requests spaced just across the server keep-alive timeout never meet a reset', async () => {
    // The server closes 40 ms after its last answer; the pool drops a socket after 20 ms of silence.
    // With a bound above the server's (60 s), 2 or 3 of these 30 requests (the POSTs) were reset in trial runs.
    const s = await server(40);
    const t = transport(20);
    const failures: string[] = [];
    for (let i = 0; i < 30; i++) {
      await pause(36 + (i % 8));
      // POSTs too: they are never sent twice, so a reset would surface.
      const req =
        i % 2
          ? { method: 'GET' as const, url: `${s.url}/get` }
          : { method: 'POST' as const, url: `${s.url}/post`, body: 'a=b' };
      await t.request(req).then(
        (res) => {
          if (res.status !== 200) failures.push(`${i}: HTTP ${res.status}`);
        },
        (e: Error) => failures.push(`${i}: ${e.message}`),
      );
    }
    expect(failures).toEqual([]);
    // Each request after a silence longer than the bound opened its own connection, and each was sent once.
    expect(s.connections).toBe(30);
    expect(s.requests).toHaveLength(30);
  });

  it('still reuses a connection between requests closer than the bound', async () => {
    const s = await server();
    const t = transport(3000);
    for (let i = 0; i < 10; i++) expect((await t.request({ method: 'GET', url: `${s.url}/x` })).status).toBe(200);
    expect(s.connections).toBe(1);
    expect(s.requests.map((r) => r.onConnection)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('drops a socket idle past the bound even when the event loop is too busy to run its idle timer', async () => {
    const s = await server();
    const t = transport(50);
    await t.request({ method: 'GET', url: `${s.url}/first` });
    // Hold the event loop past the bound: the socket's idle timer cannot fire before the next request starts.
    const until = Date.now() + 80;
    while (Date.now() < until) {
      /* busy */
    }
    const second = t.request({ method: 'GET', url: `${s.url}/second` });
    expect((await second).status).toBe(200);
    expect(s.connections).toBe(2);
    expect(s.requests.map((r) => r.onConnection)).toEqual([1, 1]);
  });

  it('honours a shorter bound announced by the server (Keep-Alive: timeout=2 -> 1 s), even with a late event loop', async () => {
    const s = await server(undefined, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', connection: 'keep-alive', 'keep-alive': 'timeout=2' });
      res.end('{}');
    });
    const t = transport(3000);
    await t.request({ method: 'GET', url: `${s.url}/first` });
    const until = Date.now() + 1050;
    while (Date.now() < until) {
      /* busy */
    }
    expect((await t.request({ method: 'GET', url: `${s.url}/second` })).status).toBe(200);
    expect(s.connections).toBe(2);
  });

  it('a reused socket answering slower than the idle bound is not cut off (the bound applies to idle sockets only)', async () => {
    const s = await server(undefined, (req, res, seen) => {
      const answer = () => answerJson(req, res, seen);
      if (seen.onConnection === 1) answer();
      else setTimeout(answer, 150);
    });
    const t = transport(50);
    await t.request({ method: 'GET', url: `${s.url}/first` });
    expect((await t.request({ method: 'POST', url: `${s.url}/slow`, body: 'a=b' })).status).toBe(200);
    expect(s.requests.map((r) => r.onConnection)).toEqual([1, 2]);
  });
});
