// Pre-connected sessions on the connector, against scripted loopback servers: the login takes the session
// over (one connection), each session serves one login, a session gone stale is replaced, a failure while
// pre-connecting is the login's own failure (same result or error, field for field), and unused sessions end
// politely (or are cut at run end when they never got ready).
import { afterEach, describe, expect, it } from 'vitest';
import type { MailConnector, MailLoginResult, MailProtocol } from '../../src/clients/types.js';
import { CLOUDS } from '../../src/m365/clouds.js';
import { NetError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/log.js';
import { createMailConnector } from '../../src/mail/connector.js';
import { imapDialog as imapClient } from '../../src/mail/imap.js';
import { Preconnector } from '../../src/mail/preconnect.js';
import { stepBudgetMs } from '../../src/net/deadline.js';
import { Redactor } from '../../src/core/redact.js';
import { testConfig } from '../clients/helpers/config.js';
import { imapDialog, popDialog, type Verdict } from '../clients/helpers/exchange-like.js';
import { fakeJwt } from '../clients/helpers/fake-entra.js';
import { startScriptedServer, type Conn, type ScriptedServer } from '../clients/helpers/scripted-server.js';
import { createTestCa } from '../clients/helpers/test-ca.js';
import { blackHole, refusedPort } from '../reliability/helpers/faulty-servers.js';

const ca = createTestCa();
const tlsMaterial = ca.issue();
const stranger = createTestCa('a CA nobody trusts').issue();
const USER = 'connector@contoso.test';
const TOKEN = fakeJwt({ aud: 'https://outlook.office.com', upn: USER, scp: 'IMAP.AccessAsUser.All' });
const ok = (user: string, token: string): Verdict => (user === USER && token === TOKEN ? 'ok' : 'bad-token');

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function connector(port: number, timeoutMs = 3000): MailConnector {
  const endpoint = { host: '127.0.0.1', port };
  const config = testConfig({
    caPem: ca.caPem,
    timeoutMs,
    endpoints: { ...CLOUDS.global.endpoints, imap: endpoint, pop: endpoint, smtp: endpoint },
  });
  const c = createMailConnector(config, { redactor: new Redactor(), log: silentLogger });
  cleanups.push(async () => {
    await c.close?.();
  });
  return c;
}

/** A scripted server that keeps each connection's lines, in arrival order. */
async function serve(
  script: (c: Conn) => Promise<void>,
  opts: { tls?: typeof tlsMaterial | false } = {},
): Promise<ScriptedServer & { conns: Conn[] }> {
  const conns: Conn[] = [];
  const s = await startScriptedServer({
    tls: opts.tls === false ? undefined : (opts.tls ?? tlsMaterial),
    script: async (c) => {
      conns.push(c);
      await script(c);
    },
  });
  cleanups.push(() => s.close());
  return Object.assign(s, { conns });
}

/** Waits until `cond` holds (the test's own timeout bounds it). */
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 5));
}

const login = (c: MailConnector, p: MailProtocol, signal?: AbortSignal) =>
  c[p]({ user: USER, accessToken: TOKEN, signal });

type Seen = { result: MailLoginResult } | { error: Record<string, unknown> };
/**
 * The result, or the error's fields. A TIMEOUT names its budget: the step's, cut to what is left of the dialog's
 * once the socket is set up, which two logins on their own connections already see some milliseconds apart on a
 * loaded machine; it is compared apart (see expectSame).
 */
async function outcome(p: Promise<MailLoginResult>): Promise<Seen> {
  try {
    return { result: await p };
  } catch (err) {
    if (!(err instanceof NetError)) throw err;
    const ms = typeof err.detail?.timeoutMs === 'number' ? err.detail.timeoutMs : undefined;
    const message = ms === undefined ? err.message : err.message.replace(` within ${ms} ms`, ' within <budget> ms');
    const detail = ms === undefined ? err.detail : { ...err.detail, timeoutMs: '<budget>' };
    return {
      error: {
        name: err.name,
        code: err.code,
        host: err.host,
        phase: err.phase,
        message,
        detail,
        ...(ms === undefined ? {} : { budgetMs: ms }),
      },
    };
  }
}

/** Same outcome; a TIMEOUT's budget is, for both, the dialog's step budget less its set-up (under 100 ms). */
function expectSame(got: Seen, want: Seen, timeoutMs = 3000): void {
  const budget = (x: Seen) => ('error' in x ? (x.error.budgetMs as number | undefined) : undefined);
  const strip = (x: Seen): Seen => ('error' in x ? { error: { ...x.error, budgetMs: undefined } } : x);
  expect(strip(got)).toEqual(strip(want));
  const stepMs = stepBudgetMs(timeoutMs);
  for (const ms of [budget(got), budget(want)]) {
    if (ms !== undefined) {
      expect(ms).toBeLessThanOrEqual(stepMs);
      expect(ms).toBeGreaterThan(stepMs - 100);
    }
  }
}

describe('a pre-connected session', () => {
  it('IMAP: the login carries on the session that already has the greeting and CAPABILITY', async () => {
    const s = await serve(imapDialog({ verdict: ok }));
    const c = connector(s.port);
    c.preconnect!('imap');
    await until(() => s.conns[0]?.received.includes('A1 CAPABILITY'));
    const r = await login(c, 'imap');
    expect(r).toMatchObject({
      authenticated: true,
      afterAuthOk: true,
      phase: 'logout',
      authLine: 'A2 OK AUTHENTICATE completed.',
    });
    expect(s.connections).toBe(1);
    expect(s.conns[0].received.map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual([
      'A1 CAPABILITY',
      'A2 AUTHENTICATE',
      'A3 EXAMINE',
      'A4 LOGOUT',
    ]);
  });

  it('POP: the login carries on after CAPA', async () => {
    const s = await serve(popDialog({ verdict: ok }));
    const c = connector(s.port);
    c.preconnect!('pop');
    await until(() => s.conns[0]?.received.includes('CAPA'));
    const r = await login(c, 'pop');
    expect(r).toMatchObject({ authenticated: true, afterAuthOk: true, phase: 'quit' });
    expect(s.connections).toBe(1);
    // QUIT goes out as the login returns; its answer is not waited for.
    await until(() => s.conns[0].received.includes('QUIT'));
    const sent = s.conns[0].received;
    expect([sent[0], sent[1], ...sent.slice(3)]).toEqual(['CAPA', 'AUTH XOAUTH2', 'STAT', 'QUIT']);
  });

  it('a login that comes while the opening is still under way waits for it and uses it', async () => {
    const s = await serve(imapDialog({ verdict: ok }));
    const c = connector(s.port);
    c.preconnect!('imap');
    const r = await login(c, 'imap');
    expect(r.authenticated).toBe(true);
    expect(s.connections).toBe(1);
  });

  it('serves one login only: a second login connects on its own', async () => {
    const s = await serve(imapDialog({ verdict: ok }));
    const c = connector(s.port);
    c.preconnect!('imap');
    const [a, b] = await Promise.all([login(c, 'imap'), login(c, 'imap')]);
    expect([a.authenticated, b.authenticated]).toEqual([true, true]);
    expect(s.connections).toBe(2);
    for (const conn of s.conns) expect(conn.received.filter((l) => l.includes('AUTHENTICATE'))).toHaveLength(1);
  });

  it('gone stale while waiting (the server spoke unasked): the login starts over on a new connection', async () => {
    let n = 0;
    const s = await serve(async (conn) => {
      if (++n > 1) return imapDialog({ verdict: ok })(conn);
      // The first session: an idle-timeout BYE right after CAPABILITY, then the server hangs up.
      conn.send('* OK IMAP4 ready');
      await conn.read();
      conn.sendRaw(
        '* CAPABILITY IMAP4rev1 AUTH=XOAUTH2 SASL-IR\r\nA1 OK CAPABILITY completed.\r\n* BYE Autologout; idle for too long\r\n',
      );
      conn.end();
    });
    const c = connector(s.port);
    c.preconnect!('imap');
    await until(() => s.conns.length === 1 && s.conns[0].received.length === 1);
    const r = await login(c, 'imap');
    expect(r).toMatchObject({ authenticated: true, afterAuthOk: true });
    expect(s.connections).toBe(2);
    expect(s.conns[0].received).toEqual(['A1 CAPABILITY']);
  });
});

describe('a session that waited too long', () => {
  it('is not used: it says LOGOUT and the login connects anew', async () => {
    const s = await serve(imapDialog({ verdict: ok }));
    const lines: string[] = [];
    const log = {
      debug: (m: string, d?: Record<string, unknown>) => lines.push(`${m} ${String(d?.line ?? '')}`),
      info() {},
      warn() {},
    };
    const deps = { redactor: new Redactor(), log, caPem: ca.caPem, stepMs: 3000 };
    // No idle time allowed: any wait between the end of the opening and the login is too long.
    const early = new Preconnector(deps, 0);
    cleanups.push(() => early.close());
    const endpoint = { host: '127.0.0.1', port: s.port };
    early.start(imapClient, endpoint);
    await until(() => lines.some((l) => l.startsWith('imap < A1 OK')));
    await new Promise((r) => setTimeout(r, 20));
    const r = await early.login(imapClient, endpoint, { user: USER, accessToken: TOKEN });
    expect(r).toMatchObject({ authenticated: true, afterAuthOk: true });
    expect(s.connections).toBe(2);
    await s.conns[0].closed;
    expect(s.conns[0].received).toEqual(['A1 CAPABILITY', 'A2 LOGOUT']);
  });
});

describe("a failure while pre-connecting is the login's own", () => {
  /** A plain SMTP server that answers the banner and EHLO with `ehlo`, and STARTTLS with `starttls`. */
  const smtpScript = (banner: string, ehlo: string, starttls: string) => async (conn: Conn) => {
    conn.send(banner);
    for (;;) {
      const line = await conn.read();
      if (line === null) return;
      if (/^EHLO /i.test(line)) conn.send(ehlo);
      else if (/^STARTTLS$/i.test(line)) conn.send(starttls);
      else if (/^QUIT$/i.test(line)) {
        conn.send('221 Bye');
        conn.end();
        return;
      } else conn.send('502 not here');
    }
  };
  const cases: { name: string; protocol: MailProtocol; start: () => Promise<number>; timeoutMs?: number }[] = [
    { name: 'connection refused (IMAP)', protocol: 'imap', start: refusedPort },
    {
      name: 'black hole (POP), TIMEOUT during tls',
      protocol: 'pop',
      timeoutMs: 600,
      start: async () => {
        const b = await blackHole();
        cleanups.push(() => b.close());
        return b.port;
      },
    },
    {
      name: 'untrusted certificate (IMAP)',
      protocol: 'imap',
      start: async () => (await serve(imapDialog({ verdict: ok }), { tls: stranger })).port,
    },
    {
      name: 'garbage greeting (IMAP)',
      protocol: 'imap',
      start: async () =>
        (
          await serve(async (c) => {
            c.send('HELLO THERE');
            await c.read();
          })
        ).port,
    },
    {
      name: 'BYE greeting (IMAP)',
      protocol: 'imap',
      start: async () =>
        (
          await serve(async (c) => {
            c.send('* BYE too busy');
            c.end();
          })
        ).port,
    },
    {
      name: '-ERR greeting (POP)',
      protocol: 'pop',
      start: async () =>
        (
          await serve(async (c) => {
            c.send('-ERR go away');
            c.end();
          })
        ).port,
    },
    {
      name: 'hang-up during CAPABILITY (IMAP)',
      protocol: 'imap',
      start: async () =>
        (
          await serve(async (c) => {
            c.send('* OK ready');
            await c.read();
            c.end();
          })
        ).port,
    },
    {
      name: 'reset during CAPA (POP)',
      protocol: 'pop',
      start: async () =>
        (
          await serve(async (c) => {
            c.send('+OK ready');
            await c.read();
            c.reset();
          })
        ).port,
    },
    {
      name: 'SMTP banner 554',
      protocol: 'smtp',
      start: async () => (await serve(smtpScript('554 no service', '250 x', '220 go'), { tls: false })).port,
    },
    {
      name: 'SMTP EHLO rejected',
      protocol: 'smtp',
      start: async () => (await serve(smtpScript('220 ready', '500 who are you', '220 go'), { tls: false })).port,
    },
    {
      name: 'SMTP STARTTLS refused (a result, not an error)',
      protocol: 'smtp',
      start: async () =>
        (await serve(smtpScript('220 ready', '250-x Hello\r\n250 STARTTLS', '454 TLS not available'), { tls: false }))
          .port,
    },
  ];

  for (const k of cases) {
    it(`${k.name}: same outcome, whether the login finds the opening failed, still running, or not pre-connected`, async () => {
      const port = await k.start();
      const fresh = await outcome(login(connector(port, k.timeoutMs), k.protocol));
      const inFlight = connector(port, k.timeoutMs);
      inFlight.preconnect!(k.protocol);
      const whileOpening = await outcome(login(inFlight, k.protocol));
      const early = connector(port, k.timeoutMs);
      early.preconnect!(k.protocol);
      // Give the opening time to fail first (not asserted: either way the outcome must be the same).
      await new Promise((r) => setTimeout(r, k.timeoutMs ?? 150));
      const afterFailure = await outcome(login(early, k.protocol));
      expectSame(whileOpening, fresh, k.timeoutMs);
      expectSame(afterFailure, fresh, k.timeoutMs);
      if ('error' in fresh) expect(fresh.error.host).toBe(`127.0.0.1:${port}`);
    });
  }

  it('a login whose check is cancelled while the opening runs ends ABORTED in the phase reached, as without pre-connect', async () => {
    const hole = await blackHole();
    cleanups.push(() => hole.close());
    const cancelled = async (c: MailConnector) => {
      const ctl = new AbortController();
      const p = outcome(login(c, 'imap', ctl.signal));
      await new Promise((r) => setTimeout(r, 50));
      ctl.abort();
      return p;
    };
    const fresh = await cancelled(connector(hole.port));
    const pre = connector(hole.port);
    pre.preconnect!('imap');
    expectSame(await cancelled(pre), fresh);
    expect(fresh).toMatchObject({ error: { code: 'ABORTED', phase: 'tls' } });
  });
});

describe('sessions no login took', () => {
  it('close() ends each with LOGOUT / QUIT and sends no AUTH', async () => {
    const imap = await serve(imapDialog({ verdict: ok }));
    const pop = await serve(popDialog({ verdict: ok }));
    const c = createMailConnector(
      testConfig({
        caPem: ca.caPem,
        endpoints: {
          ...CLOUDS.global.endpoints,
          imap: { host: '127.0.0.1', port: imap.port },
          pop: { host: '127.0.0.1', port: pop.port },
        },
      }),
      { redactor: new Redactor(), log: silentLogger },
    );
    c.preconnect!('imap');
    c.preconnect!('pop');
    await until(() => imap.conns[0]?.received.length === 1 && pop.conns[0]?.received.length === 1);
    await c.close!();
    await Promise.all([imap.conns[0].closed, pop.conns[0].closed]);
    expect(imap.conns[0].received).toEqual(['A1 CAPABILITY', 'A2 LOGOUT']);
    expect(pop.conns[0].received).toEqual(['CAPA', 'QUIT']);
  });

  it('close() cuts an opening that never gets ready (a silent server), and later pre-connects do nothing', async () => {
    const silent = await serve(async (conn) => {
      await conn.read();
    });
    const c = connector(silent.port, 60_000);
    c.preconnect!('imap');
    await until(() => silent.connections === 1);
    await c.close!();
    await silent.conns[0].closed;
    c.preconnect!('imap');
    expect(silent.connections).toBe(1);
  });

  it('an unknown protocol is ignored, not thrown', () => {
    const c = connector(1);
    expect(() => c.preconnect!('nntp' as MailProtocol)).not.toThrow();
  });
});
