// A reset on a reused connection before any answer: a GET is sent once more on a new connection, a POST never.
import { afterEach, describe, expect, it } from 'vitest';
import { NetError } from '../../src/core/errors.js';
import type { Logger } from '../../src/core/log.js';
import { createHttpsTransport } from '../../src/net/https.js';
import { answerJson, ca, startServer, type Handler, type TestServer } from './helpers/servers.js';

const servers: TestServer[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
});
const server = async (handler: Handler) => {
  const s = await startServer(handler);
  servers.push(s);
  return s;
};

function recordingLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const add = (msg: string, data?: Record<string, unknown>) => {
    lines.push(`${msg} ${JSON.stringify(data ?? {})}`);
  };
  return { lines, debug: add, info: add, warn: add };
}

/** Answers the first request of each connection; resets the TCP connection on any later one. */
const resetReused: Handler = (req, res, seen) => {
  if (seen.onConnection === 1) answerJson(req, res, seen);
  else seen.raw.resetAndDestroy();
};

const failure = async (p: Promise<unknown>): Promise<NetError> => {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(NetError);
  return e as NetError;
};

describe('reset on a reused connection', () => {
  it('a GET is sent once more, on a new connection, and succeeds', async () => {
    const s = await server(resetReused);
    const log = recordingLog();
    const t = createHttpsTransport({ caPem: ca.caPem, timeoutMs: 5000, log });
    await t.request({ method: 'GET', url: `${s.url}/discovery` });
    const res = await t.request({ method: 'GET', url: `${s.url}/users/x?$select=id` });
    expect(res).toMatchObject({ status: 200, body: '{"ok":true}' });
    expect(s.requests).toEqual([
      { method: 'GET', onConnection: 1 },
      { method: 'GET', onConnection: 2 }, // reset
      { method: 'GET', onConnection: 1 }, // the resend, on a connection of its own
    ]);
    expect(s.connections).toBe(2);
    expect(log.lines.filter((l) => l.startsWith('https resend'))).toEqual([
      `https resend {"method":"GET","url":"${s.url}/users/x","reason":"CONNECTION_RESET"}`,
    ]);
  });

  it('a POST is never sent twice: it fails with CONNECTION_RESET naming the host and the phase', async () => {
    const s = await server(resetReused);
    const t = createHttpsTransport({ caPem: ca.caPem, timeoutMs: 5000 });
    await t.request({ method: 'GET', url: `${s.url}/discovery` });
    const e = await failure(
      t.request({ method: 'POST', url: `${s.url}/oauth2/v2.0/token`, body: 'grant_type=password' }),
    );
    const host = new URL(s.url).host;
    expect(e).toMatchObject({ code: 'CONNECTION_RESET', host, phase: 'response', detail: { cause: 'ECONNRESET' } });
    expect(e.message).toBe(`${host} reset the connection during response`);
    expect(s.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('a GET is sent again only once: a second reset is the error', async () => {
    let n = 0;
    const s = await server((req, res, seen) => {
      if (++n === 1) answerJson(req, res, seen);
      else seen.raw.resetAndDestroy();
    });
    const t = createHttpsTransport({ caPem: ca.caPem, timeoutMs: 5000 });
    await t.request({ method: 'GET', url: `${s.url}/a` });
    const e = await failure(t.request({ method: 'GET', url: `${s.url}/b` }));
    expect(e.code).toBe('CONNECTION_RESET');
    expect(s.requests).toHaveLength(3);
  });

  it('a GET reset on a new connection is not sent again (nothing stale to blame)', async () => {
    const s = await server((_req, _res, seen) => seen.raw.resetAndDestroy());
    const t = createHttpsTransport({ caPem: ca.caPem, timeoutMs: 5000 });
    const e = await failure(t.request({ method: 'GET', url: `${s.url}/a` }));
    expect(e.code).toBe('CONNECTION_RESET');
    expect(s.requests).toHaveLength(1);
  });

  it('a GET reset after its answer began is not sent again', async () => {
    const s = await server((req, res, seen) => {
      if (seen.onConnection === 1) {
        answerJson(req, res, seen);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"partial":', () => setImmediate(() => seen.raw.resetAndDestroy()));
    });
    const t = createHttpsTransport({ caPem: ca.caPem, timeoutMs: 5000 });
    await t.request({ method: 'GET', url: `${s.url}/a` });
    const e = await failure(t.request({ method: 'GET', url: `${s.url}/b` }));
    expect(e).toMatchObject({ code: 'CONNECTION_RESET', phase: 'response' });
    expect(s.requests).toHaveLength(2);
  });
});
