// Every NetError class, over HTTPS and over the mail sockets: each ends within its deadline and names the host.
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { NetError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/log.js';
import { createMailConnector } from '../../src/mail/connector.js';
import { createHttpsTransport } from '../../src/net/https.js';
import { Redactor } from '../../src/core/redact.js';
import { testConfig } from './helpers/config.js';
import { fakeJwt } from './helpers/fake-entra.js';
import { startScriptedServer, type Conn } from './helpers/scripted-server.js';
import { createTestCa, type Issued } from './helpers/test-ca.js';

const ca = createTestCa();
const good = ca.issue();
const TOKEN = fakeJwt({ aud: 'https://outlook.office.com' });
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

let lastRawSocket: net.Socket | undefined;
async function httpsServer(
  tls: Issued,
  handler: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void,
): Promise<string> {
  const server = https.createServer({ key: tls.key, cert: tls.cert }, handler);
  server.on('connection', (raw: net.Socket) => {
    lastRawSocket = raw;
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** `plain` = no TLS at all (SMTP before STARTTLS, or a black hole for implicit TLS). */
async function mailServer(script: (c: Conn) => Promise<void>, tls: Issued | 'plain' = good) {
  const s = await startScriptedServer({ tls: tls === 'plain' ? undefined : tls, script });
  cleanups.push(() => s.close());
  return s.port;
}

const fail = async (p: Promise<unknown>) => {
  const t0 = Date.now();
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(NetError);
  return { e: e as NetError, ms: Date.now() - t0 };
};

describe('HTTPS transport', () => {
  const transport = (timeoutMs = 800, caPem: string | null = ca.caPem, maxBodyBytes?: number) =>
    createHttpsTransport({ caPem: caPem ?? undefined, timeoutMs, maxBodyBytes, log: silentLogger });

  it('CONNECTION_REFUSED', async () => {
    const port = await freePort();
    const { e } = await fail(transport().request({ method: 'GET', url: `https://127.0.0.1:${port}/x` }));
    expect(e).toMatchObject({ code: 'CONNECTION_REFUSED', host: `127.0.0.1:${port}`, phase: 'connect' });
  });

  it('DNS_NOT_FOUND', async () => {
    const { e } = await fail(transport().request({ method: 'GET', url: 'https://no-such-host.invalid/x' }));
    expect(e.code).toBe('DNS_NOT_FOUND');
  });

  it('TIMEOUT for a server that never answers, within the deadline', async () => {
    const url = await httpsServer(good, () => {
      /* black hole */
    });
    const { e, ms } = await fail(transport(500).request({ method: 'GET', url: `${url}/x` }));
    expect(e).toMatchObject({ code: 'TIMEOUT', phase: 'response' });
    expect(ms).toBeLessThan(1500);
  });

  it('TIMEOUT for a server that drips its body, at the deadline', async () => {
    const url = await httpsServer(good, (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const t = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(t));
    });
    const { e, ms } = await fail(transport(600).request({ method: 'GET', url: `${url}/x` }));
    expect(e.code).toBe('TIMEOUT');
    expect(ms).toBeLessThan(1500);
  });

  it('ABORTED when the caller cancels', async () => {
    const url = await httpsServer(good, () => {});
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const { e, ms } = await fail(transport(5000).request({ method: 'GET', url: `${url}/x`, signal: ac.signal }));
    expect(e.code).toBe('ABORTED');
    expect(ms).toBeLessThan(1000);
  });

  it('CONNECTION_RESET', async () => {
    // Reset the TCP socket under TLS: a TLS socket itself cannot send an RST.
    const url = await httpsServer(good, () => {
      lastRawSocket?.resetAndDestroy();
    });
    const { e } = await fail(transport().request({ method: 'GET', url: `${url}/x` }));
    expect(e.code).toBe('CONNECTION_RESET');
  });

  it('RESPONSE_TOO_LARGE beyond the body limit (announced or streamed)', async () => {
    const url = await httpsServer(good, (req, res) => {
      res.writeHead(200, req.url === '/announced' ? { 'content-length': String(10_000) } : {});
      res.end('x'.repeat(10_000));
    });
    for (const path of ['/announced', '/streamed']) {
      const { e } = await fail(transport(2000, ca.caPem, 4096).request({ method: 'GET', url: `${url}${path}` }));
      expect(e).toMatchObject({ code: 'RESPONSE_TOO_LARGE', detail: { maxBytes: 4096 } });
    }
  });

  it('TLS_UNTRUSTED without the CA, naming the host and --ca-file', async () => {
    const url = await httpsServer(good, (_q, res) => res.end('{}'));
    const { e } = await fail(transport(2000, null).request({ method: 'GET', url: `${url}/x` }));
    expect(e.code).toBe('TLS_UNTRUSTED');
    expect(e.message).toContain(new URL(url).host);
    expect(e.message).toContain('--ca-file');
  });

  it('TLS_HOSTNAME_MISMATCH for a certificate of another host', async () => {
    const url = await httpsServer(ca.issue({ hosts: ['wrong.example'] }), (_q, res) => res.end('{}'));
    const { e } = await fail(transport().request({ method: 'GET', url: `${url}/x` }));
    expect(e.code).toBe('TLS_HOSTNAME_MISMATCH');
  });

  it('TLS_EXPIRED for an expired certificate', async () => {
    const url = await httpsServer(
      ca.issue({ notBefore: new Date(Date.now() - 10 * 86400_000), notAfter: new Date(Date.now() - 86400_000) }),
      (_q, res) => res.end('{}'),
    );
    const { e } = await fail(transport().request({ method: 'GET', url: `${url}/x` }));
    expect(e.code).toBe('TLS_EXPIRED');
  });

  it('refuses plain http://', async () => {
    const { e } = await fail(transport().request({ method: 'GET', url: 'http://127.0.0.1:1/x' }));
    expect(e.code).toBe('BAD_RESPONSE');
  });
});

describe('mail sockets', () => {
  const mail = (
    ports: { imap?: number; pop?: number; smtp?: number },
    opts: { timeoutMs?: number; caPem?: string | null } = {},
  ) => {
    const config = testConfig({
      caPem: opts.caPem === null ? undefined : ca.caPem,
      timeoutMs: opts.timeoutMs ?? 600,
      endpoints: {
        imap: { host: '127.0.0.1', port: ports.imap ?? 1 },
        pop: { host: '127.0.0.1', port: ports.pop ?? 1 },
        smtp: { host: '127.0.0.1', port: ports.smtp ?? 1 },
      },
    });
    return createMailConnector(config, { redactor: new Redactor(), log: silentLogger });
  };
  const req = { user: 'connector@contoso.test', accessToken: TOKEN };

  it('CONNECTION_REFUSED', async () => {
    const port = await freePort();
    const { e } = await fail(mail({ imap: port }).imap(req));
    expect(e).toMatchObject({ code: 'CONNECTION_REFUSED', host: `127.0.0.1:${port}` });
  });

  it('black hole: a TCP peer that never speaks TLS ends in TIMEOUT during tls, within the deadline', async () => {
    const port = await mailServer(async () => {}, 'plain');
    const { e, ms } = await fail(mail({ imap: port }, { timeoutMs: 500 }).imap(req));
    expect(e).toMatchObject({ code: 'TIMEOUT', phase: 'tls' });
    expect(ms).toBeLessThan(1500);
  });

  it('a silent server after TLS: TIMEOUT waiting for the greeting', async () => {
    const port = await mailServer(async () => {});
    const { e, ms } = await fail(mail({ pop: port }, { timeoutMs: 500 }).pop(req));
    expect(e).toMatchObject({ code: 'TIMEOUT', phase: 'greeting' });
    expect(ms).toBeLessThan(1500);
  });

  it('drip: a greeting sent one byte at a time still ends at the deadline', async () => {
    const port = await mailServer(async (c) => {
      const t = setInterval(() => c.sendRaw('*'), 40);
      await c.closed;
      clearInterval(t);
    });
    const { e, ms } = await fail(mail({ imap: port }, { timeoutMs: 600 }).imap(req));
    expect(e).toMatchObject({ code: 'TIMEOUT', phase: 'greeting' });
    expect(ms).toBeLessThan(1500);
  });

  it('CONNECTION_RESET after the greeting', async () => {
    const port = await mailServer(async (c) => {
      c.send('* OK ready');
      await c.read();
      c.reset();
    });
    const { e } = await fail(mail({ imap: port }).imap(req));
    expect(e.code).toMatch(/CONNECTION_RESET|CONNECTION_CLOSED/);
    expect(e.phase).toBe('capability');
  });

  it('CONNECTION_CLOSED when the server hangs up mid-dialog', async () => {
    const port = await mailServer(async (c) => {
      c.send('+OK ready');
      await c.read();
      c.end();
    });
    const { e } = await fail(mail({ pop: port }).pop(req));
    expect(e).toMatchObject({ code: 'CONNECTION_CLOSED', phase: 'capability' });
  });

  it('BAD_RESPONSE for a garbage greeting', async () => {
    const port = await mailServer(async (c) => {
      c.send('HTTP/1.1 400 Bad Request');
      await c.read();
    });
    const { e } = await fail(mail({ imap: port }).imap(req));
    expect(e).toMatchObject({ code: 'BAD_RESPONSE', phase: 'greeting' });
    expect(e.message).toContain('HTTP/1.1 400');
  });

  it('BAD_RESPONSE for a garbage SMTP banner', async () => {
    const port = await mailServer(async (c) => {
      c.send('* OK IMAP here');
      await c.read();
    }, 'plain');
    const { e } = await fail(mail({ smtp: port }).smtp(req));
    expect(e).toMatchObject({ code: 'BAD_RESPONSE', phase: 'greeting' });
  });

  it('RESPONSE_TOO_LARGE for a line over 64 KiB, with or without its line end', async () => {
    for (const ending of ['', '\r\n']) {
      const port = await mailServer(async (c) => {
        c.sendRaw(`* OK ${'x'.repeat(70 * 1024)}${ending}`);
        await c.closed;
      });
      const { e } = await fail(mail({ imap: port }).imap(req));
      expect(e).toMatchObject({ code: 'RESPONSE_TOO_LARGE', phase: 'greeting' });
    }
  });

  it('TLS_UNTRUSTED without the CA, naming the host and --ca-file', async () => {
    const port = await mailServer(async (c) => {
      c.send('* OK');
      await c.closed;
    });
    const { e } = await fail(mail({ imap: port }, { caPem: null }).imap(req));
    expect(e).toMatchObject({ code: 'TLS_UNTRUSTED', phase: 'tls' });
    expect(e.message).toContain(`127.0.0.1:${port}`);
    expect(e.message).toContain('--ca-file');
  });

  it('TLS_HOSTNAME_MISMATCH after STARTTLS on SMTP', async () => {
    const wrong = ca.issue({ hosts: ['wrong.example'] });
    const port = await mailServer(async (c) => {
      c.send('220 ready');
      for (;;) {
        const l = await c.read();
        if (l === null) return;
        if (l.startsWith('EHLO')) {
          c.send('250-hi');
          c.send('250 STARTTLS');
        } else if (l === 'STARTTLS') {
          c.send('220 go ahead');
          await c.startTls(wrong).catch(() => {});
          return;
        }
      }
    }, 'plain');
    const { e } = await fail(mail({ smtp: port }).smtp(req));
    expect(e).toMatchObject({ code: 'TLS_HOSTNAME_MISMATCH', phase: 'tls' });
  });

  it('TLS_EXPIRED for an expired certificate', async () => {
    const expired = ca.issue({
      notBefore: new Date(Date.now() - 10 * 86400_000),
      notAfter: new Date(Date.now() - 86400_000),
    });
    const port = await mailServer(async (c) => {
      c.send('+OK');
      await c.closed;
    }, expired);
    const { e } = await fail(mail({ pop: port }).pop(req));
    expect(e.code).toBe('TLS_EXPIRED');
  });

  it('ABORTED when the caller cancels mid-step', async () => {
    const port = await mailServer(async () => {});
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const { e, ms } = await fail(mail({ imap: port }, { timeoutMs: 5000 }).imap({ ...req, signal: ac.signal }));
    expect(e.code).toBe('ABORTED');
    expect(ms).toBeLessThan(1000);
  });

  it('no token in any error message', async () => {
    const port = await mailServer(async (c) => {
      c.send('* OK');
      await c.read();
      c.send('* CAPABILITY IMAP4rev1 AUTH=XOAUTH2 SASL-IR');
      c.send('A1 OK');
      await c.read();
      c.reset();
    });
    const { e } = await fail(mail({ imap: port }).imap(req));
    expect(JSON.stringify({ m: e.message, d: e.detail })).not.toContain(TOKEN);
    expect(e.phase).toBe('auth');
  });
});

describe('CA file', () => {
  it('a CA file that is not PEM is a clear ConfigError, not a stack trace', () => {
    expect(() =>
      createHttpsTransport({
        caPem: '-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n',
        timeoutMs: 1000,
      }),
    ).toThrow(expect.objectContaining({ name: 'ConfigError', field: 'ca-file' }));
  });
});
