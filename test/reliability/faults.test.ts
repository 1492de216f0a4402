// Every fault mode of the issue, each against the check it affects: the check ends with a specific
// status, code and message naming the host (and phase), within its time limit; a whole run is bounded too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator, type StartEmulatorOptions } from '../../src/emulator/index.js';
import type { RawInputs } from '../../src/config/inputs.js';
import type { CheckResult } from '../../src/core/result.js';
import { startScriptedServer } from '../clients/helpers/scripted-server.js';
import { createTestCa } from '../clients/helpers/test-ca.js';
import { runCli } from '../helpers/cli.js';
import { emulatorEnv } from './helpers/emulator-env.js';
import { runChecksAgainst } from './helpers/fault-run.js';
import {
  blackHole,
  dripHttps,
  endlessBody,
  endlessLine,
  httpsWithCert,
  mailWithCert,
  refusedPort,
  resetInHandshake,
  type FaultyServer,
} from './helpers/faulty-servers.js';

/** Short limits keep the suite fast; a slow machine gets the slack, never the check. */
const TIMEOUT_MS = 2000;
const SLACK_MS = 750;
const DAY = 86_400_000;
/** A CA the run does not trust (the emulator's CA is trusted through the demo's CA PEM). */
const strangerCa = createTestCa();

let healthy: RunningEmulator;
const cleanups: (() => Promise<void>)[] = [];
const tally: { mode: string; check: string; status: string; code: string; ms: number; limit: number }[] = [];

beforeAll(async () => {
  healthy = await startEmulator();
  cleanups.push(() => healthy.stop());
});
afterAll(async () => {
  await Promise.allSettled(cleanups.map((c) => c()));
  if (!tally.length) return;
  const width = Math.max(...tally.map((t) => t.mode.length));
  console.log(
    `fault modes: ${tally.length}, every one within its limit (worst ${Math.max(...tally.map((t) => Math.round((100 * t.ms) / t.limit)))} % of it)\n${tally
      .map(
        (t) =>
          `  ${t.mode.padEnd(width)}  ${t.check.padEnd(16)} ${t.status.padEnd(5)} ${t.code.padEnd(23)} ${String(t.ms).padStart(5)} ms of ${t.limit}`,
      )
      .join('\n')}`,
  );
});

async function emulatorWith(faults: StartEmulatorOptions['faults'], scenario?: string): Promise<RunningEmulator> {
  const e = await startEmulator({ faults, scenario });
  cleanups.push(() => e.stop());
  return e;
}

async function server(start: Promise<FaultyServer>): Promise<FaultyServer> {
  const s = await start;
  cleanups.push(() => s.close());
  return s;
}

interface Expect {
  status?: 'error' | 'fail';
  code: string | RegExp;
  message: RegExp;
  phase?: string;
}

/** Runs `check` (and what it depends on), then asserts its verdict and that it ended within its limit. */
async function expectFault(
  mode: string,
  check: string,
  emulator: RunningEmulator,
  override: RawInputs,
  want: Expect,
  limitMs = TIMEOUT_MS,
): Promise<CheckResult> {
  const { results, wallMs } = await runChecksAgainst(emulator, { only: [check], timeoutMs: limitMs, override });
  const r = results.get(check)!;
  const context = `${mode}: ${JSON.stringify({ status: r.status, code: r.code, message: r.message, evidence: r.evidence })}`;
  expect(r.status, context).toBe(want.status ?? 'error');
  if (typeof want.code === 'string') expect(r.code, context).toBe(want.code);
  else expect(r.code, context).toMatch(want.code);
  expect(r.message, context).toMatch(want.message);
  if (want.phase) expect(r.evidence.phase, context).toBe(want.phase);
  expect(r.durationMs, context).toBeLessThanOrEqual(limitMs + SLACK_MS);
  // Every check before it passed quickly: the whole selection stays within a few limits.
  expect(wallMs, context).toBeLessThanOrEqual(3 * limitMs);
  tally.push({ mode, check, status: r.status, code: String(r.code), ms: r.durationMs, limit: limitMs });
  return r;
}

const hp = (e: { host: string; port: number }) => `${e.host}:${e.port}`;
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('mail servers (IMAP, POP, SMTP)', () => {
  it('connection refused', async () => {
    const port = await refusedPort();
    await expectFault(
      'refused (IMAP)',
      'imap-login',
      healthy,
      { imap: `127.0.0.1:${port}` },
      { code: 'CONNECTION_REFUSED', message: new RegExp(`127\\.0\\.0\\.1:${port} refused the connection`) },
    );
  });

  it('black-holed port: accepts TCP, never answers', async () => {
    const hole = await server(blackHole());
    await expectFault(
      'black hole (POP)',
      'pop-login',
      healthy,
      { pop: hole.hostPort },
      { code: 'TIMEOUT', message: new RegExp(`${esc(hole.hostPort)} did not complete tls`), phase: 'tls' },
    );
  });

  it('a server that drips one byte a second', async () => {
    const e = await emulatorWith({ imap: { dripBytesPerSecond: 1 } });
    await expectFault(
      'drip 1 B/s (IMAP)',
      'imap-login',
      e,
      {},
      { code: 'TIMEOUT', message: new RegExp(`${esc(hp(e.imap))} did not complete (tls|greeting)`) },
    );
  });

  it('connection reset in the TLS handshake', async () => {
    const rst = await server(resetInHandshake());
    await expectFault(
      'reset mid-handshake (IMAP)',
      'imap-login',
      healthy,
      { imap: rst.hostPort },
      { code: 'CONNECTION_RESET', message: new RegExp(`${esc(rst.hostPort)} reset the connection during tls`) },
    );
  });

  it('connection reset mid-command (right after the greeting)', async () => {
    const e = await emulatorWith({ pop: { resetAfterGreeting: true } });
    await expectFault(
      'reset mid-command (POP)',
      'pop-login',
      e,
      {},
      {
        code: /^CONNECTION_(RESET|CLOSED)$/,
        message: new RegExp(`${esc(hp(e.pop))} (reset|closed) the connection during capability`),
      },
    );
  });

  it('garbage greeting', async () => {
    const e = await emulatorWith({ imap: { greeting: 'garbage' } });
    await expectFault(
      'garbage greeting (IMAP)',
      'imap-login',
      e,
      {},
      { code: 'BAD_RESPONSE', message: /NOT-A-MAIL-SERVER.* where an IMAP greeting/, phase: 'greeting' },
    );
  });

  it('truncated greeting', async () => {
    const e = await emulatorWith({ pop: { greeting: 'truncated' } });
    await expectFault(
      'truncated greeting (POP)',
      'pop-login',
      e,
      {},
      { code: 'CONNECTION_CLOSED', message: new RegExp(`${esc(hp(e.pop))} closed the connection during greeting`) },
    );
  });

  it('no greeting at all (SMTP)', async () => {
    const e = await emulatorWith({ smtp: { greeting: 'none' } });
    await expectFault(
      'silent greeting (SMTP)',
      'smtp-login',
      e,
      {},
      { code: 'TIMEOUT', message: new RegExp(`${esc(hp(e.smtp))} did not complete greeting`), phase: 'greeting' },
    );
  });

  it('oversized reply line', async () => {
    const e = await emulatorWith({ smtp: { oversizedLine: true } });
    await expectFault(
      'oversized line (SMTP)',
      'smtp-login',
      e,
      {},
      { code: 'RESPONSE_TOO_LARGE', message: new RegExp(`${esc(hp(e.smtp))} sent a line longer than 65536 bytes`) },
    );
  });

  it('a line that never ends: the client stops reading, memory stays bounded', async () => {
    const endless = await server(endlessLine(healthy.issueServerCert({ hosts: ['127.0.0.1'] })));
    await expectFault(
      'endless line (IMAP)',
      'imap-login',
      healthy,
      { imap: endless.hostPort },
      { code: 'RESPONSE_TOO_LARGE', message: /sent a line longer than 65536 bytes/ },
    );
    // Socket buffers hold a few hundred KiB at most; a client that kept reading would take megabytes.
    expect(endless.bytesSent).toBeLessThan(4 * 1024 * 1024);
  });

  it('expired, wrong-host and untrusted certificates name the host; untrusted names --ca-file', async () => {
    const expired = await server(
      mailWithCert(
        healthy.issueServerCert({
          hosts: ['127.0.0.1'],
          notBefore: new Date(Date.now() - 10 * DAY),
          notAfter: new Date(Date.now() - DAY),
        }),
      ),
    );
    await expectFault(
      'expired certificate (POP)',
      'pop-login',
      healthy,
      { pop: expired.hostPort },
      { code: 'TLS_EXPIRED', message: new RegExp(`certificate of ${esc(expired.hostPort)} has expired`) },
    );
    const wrongHost = await server(mailWithCert(healthy.issueServerCert({ hosts: ['mail.elsewhere.example'] })));
    await expectFault(
      'wrong-host certificate (IMAP)',
      'imap-login',
      healthy,
      { imap: wrongHost.hostPort },
      {
        code: 'TLS_HOSTNAME_MISMATCH',
        message: new RegExp(
          `certificate of ${esc(wrongHost.hostPort)} was issued for another host name \\(it names DNS:mail\\.elsewhere\\.example\\); connect by a name`,
        ),
      },
    );
    const untrusted = await server(mailWithCert(strangerCa.issue({ hosts: ['127.0.0.1'] })));
    await expectFault(
      'untrusted certificate (IMAP)',
      'imap-login',
      healthy,
      { imap: untrusted.hostPort },
      {
        code: 'TLS_UNTRUSTED',
        message: new RegExp(`certificate of ${esc(untrusted.hostPort)} is not trusted.*--ca-file`),
      },
    );
  });
});

describe('credentials only over TLS', () => {
  it('an SMTP server that refuses STARTTLS never sees AUTH, even when it offers XOAUTH2 in clear', async () => {
    const received: string[] = [];
    const smtp = await startScriptedServer({
      script: async (c) => {
        c.send('220 mail.example ESMTP');
        for (;;) {
          const l = await c.read();
          if (l === null) return;
          received.push(l);
          if (/^EHLO /i.test(l)) {
            c.send('250-mail.example');
            c.send('250-AUTH XOAUTH2 LOGIN PLAIN');
            c.send('250 STARTTLS');
          } else if (l === 'STARTTLS') c.send('454 4.7.0 TLS not available due to temporary reason');
          else if (l === 'QUIT') {
            c.send('221 bye');
            c.end();
            return;
          } else c.send('500 5.5.1 unexpected');
        }
      },
    });
    cleanups.push(() => smtp.close());
    const { results } = await runChecksAgainst(healthy, {
      only: ['smtp-login'],
      timeoutMs: TIMEOUT_MS,
      override: { smtp: `127.0.0.1:${smtp.port}` },
    });
    const r = results.get('smtp-login')!;
    expect(
      received.some((l) => /^AUTH/i.test(l)),
      received.join(' | '),
    ).toBe(false);
    expect(received.join('\n')).not.toMatch(/dXNlcj|eyJ/);
    expect(r.status).toMatch(/^(fail|error)$/);
    expect(r.message).toContain('454 4.7.0 TLS not available');
    tally.push({
      mode: 'STARTTLS refused (SMTP)',
      check: 'smtp-login',
      status: r.status,
      code: String(r.code),
      ms: r.durationMs,
      limit: TIMEOUT_MS,
    });
  });

  it('an https URL is required for Entra and Graph: plain http is refused before any connection', async () => {
    for (const [key, url] of [
      ['authorityHost', 'http://127.0.0.1:1'],
      ['graphUrl', 'http://127.0.0.1:1'],
    ] as const) {
      await expect(
        runChecksAgainst(healthy, { only: ['config'], timeoutMs: TIMEOUT_MS, override: { [key]: url } }),
      ).rejects.toMatchObject({
        name: 'ConfigError',
        problem: expect.stringMatching(/is not an https URL \(TLS is always used\)/),
      });
    }
  });
});

describe('HTTPS: Entra authority host', () => {
  it('connection refused', async () => {
    const port = await refusedPort();
    await expectFault(
      'refused (Entra)',
      'tenant-discovery',
      healthy,
      { authorityHost: `https://127.0.0.1:${port}` },
      { code: 'CONNECTION_REFUSED', message: new RegExp(`127\\.0\\.0\\.1:${port} refused the connection`) },
    );
  });

  it('black-holed port', async () => {
    const hole = await server(blackHole());
    await expectFault(
      'black hole (Entra)',
      'tenant-discovery',
      healthy,
      { authorityHost: `https://${hole.hostPort}` },
      { code: 'TIMEOUT', message: new RegExp(`${esc(hole.hostPort)} did not complete connect`) },
    );
  });

  it('an answer dripping one byte a second', async () => {
    const drip = await server(dripHttps(healthy.issueServerCert({ hosts: ['127.0.0.1'] })));
    await expectFault(
      'drip 1 B/s (Entra)',
      'tenant-discovery',
      healthy,
      { authorityHost: `https://${drip.hostPort}` },
      { code: 'TIMEOUT', message: new RegExp(`${esc(drip.hostPort)} did not complete response`) },
    );
  });

  it('connection reset in the TLS handshake', async () => {
    const rst = await server(resetInHandshake());
    await expectFault(
      'reset mid-handshake (Entra)',
      'tenant-discovery',
      healthy,
      { authorityHost: `https://${rst.hostPort}` },
      { code: 'CONNECTION_RESET', message: new RegExp(`${esc(rst.hostPort)} reset the connection`) },
    );
  });

  it('a body that never ends: stopped at the size limit, memory stays bounded', async () => {
    const endless = await server(endlessBody(healthy.issueServerCert({ hosts: ['127.0.0.1'] })));
    await expectFault(
      'endless body (Entra)',
      'tenant-discovery',
      healthy,
      { authorityHost: `https://${endless.hostPort}` },
      { code: 'RESPONSE_TOO_LARGE', message: new RegExp(`${esc(endless.hostPort)} sent a response larger than`) },
    );
    expect(endless.bytesSent).toBeLessThan(16 * 1024 * 1024);
  });

  it('expired, wrong-host and untrusted certificates', async () => {
    const expired = await server(
      httpsWithCert(
        healthy.issueServerCert({
          hosts: ['127.0.0.1'],
          notBefore: new Date(Date.now() - 10 * DAY),
          notAfter: new Date(Date.now() - DAY),
        }),
      ),
    );
    await expectFault(
      'expired certificate (Entra)',
      'tenant-discovery',
      healthy,
      { authorityHost: `https://${expired.hostPort}` },
      { code: 'TLS_EXPIRED', message: new RegExp(`certificate of ${esc(expired.hostPort)} has expired`) },
    );
    const wrongHost = await server(httpsWithCert(healthy.issueServerCert({ hosts: ['login.elsewhere.example'] })));
    await expectFault(
      'wrong-host certificate (Entra)',
      'tenant-discovery',
      healthy,
      { authorityHost: `https://${wrongHost.hostPort}` },
      {
        code: 'TLS_HOSTNAME_MISMATCH',
        message: new RegExp(
          `certificate of ${esc(wrongHost.hostPort)} was issued for another host name \\(it names DNS:login\\.elsewhere\\.example\\); connect by a name`,
        ),
      },
    );
    const untrusted = await server(httpsWithCert(strangerCa.issue({ hosts: ['127.0.0.1'] })));
    await expectFault(
      'untrusted certificate (Entra)',
      'tenant-discovery',
      healthy,
      { authorityHost: `https://${untrusted.hostPort}` },
      {
        code: 'TLS_UNTRUSTED',
        message: new RegExp(`certificate of ${esc(untrusted.hostPort)} is not trusted.*--ca-file`),
      },
    );
  });

  it('JSON that is not an OpenID configuration is no proof the tenant exists', async () => {
    const stranger = await server(httpsWithCert(healthy.issueServerCert({ hosts: ['127.0.0.1'] })));
    await expectFault(
      'not a discovery document (Entra)',
      'tenant-discovery',
      healthy,
      { authorityHost: `https://${stranger.hostPort}` },
      {
        code: 'BAD_RESPONSE',
        message: new RegExp(`${esc(stranger.hostPort)} answered the discovery request without .*issuer`),
      },
    );
  });
});

describe('HTTPS: token endpoint and Graph answers', () => {
  const hostOf = (url: string) => esc(new URL(url).host);
  // What each answer must turn into: the token endpoint's own OAuth error, or the Graph error code, or a
  // transport error naming the host that sent something that is not JSON.
  const cases = [
    [
      'html',
      'HTML error page',
      (host: string) => ({
        code: 'BAD_RESPONSE',
        message: new RegExp(`${host} answered HTTP 200 with text/html instead of JSON`),
      }),
      (host: string) => ({
        code: 'BAD_RESPONSE',
        message: new RegExp(`${host} answered HTTP 200 with text/html instead of JSON`),
      }),
    ],
    [
      'truncated-json',
      'truncated JSON',
      (host: string) => ({
        code: 'BAD_RESPONSE',
        message: new RegExp(`${host} answered HTTP 200 with invalid or truncated JSON`),
      }),
      (host: string) => ({
        code: 'BAD_RESPONSE',
        message: new RegExp(`${host} answered HTTP 200 with invalid or truncated JSON`),
      }),
    ],
    [
      '500',
      'HTTP 500',
      () => ({ code: 'server_error', message: /internal server error/i }),
      () => ({ code: 'InternalServerError', message: /^500 InternalServerError: / }),
    ],
    [
      '503',
      'HTTP 503',
      () => ({ code: 'temporarily_unavailable', message: /temporarily unavailable/i }),
      () => ({ code: 'serviceNotAvailable', message: /^503 serviceNotAvailable: / }),
    ],
  ] as const;

  for (const [fault, label, token, graph] of cases) {
    it(`token endpoint: ${label}`, async () => {
      healthy.faults.entra = fault;
      try {
        await expectFault(
          `${label} (token endpoint)`,
          'app-credentials',
          healthy,
          {},
          token(hostOf(healthy.authorityHost)),
        );
      } finally {
        healthy.faults.entra = undefined;
      }
    });

    it(`Graph: ${label}`, async () => {
      healthy.faults.graph = fault;
      try {
        await expectFault(`${label} (Graph)`, 'user-account', healthy, {}, graph(hostOf(healthy.graphUrl)));
      } finally {
        healthy.faults.graph = undefined;
      }
    });
  }

  it('token endpoint 429 storm: one attempt, then a clear throttling error (a repeated sign-in feeds smart lockout)', async () => {
    healthy.faults.entra = '429';
    healthy.log.clear();
    try {
      for (const check of ['app-credentials', 'ropc-token']) {
        await expectFault(
          `429 storm, Retry-After 1 s (token endpoint, ${check})`,
          check,
          healthy,
          {},
          {
            code: 'THROTTLED',
            message: new RegExp(
              `Entra ID at ${hostOf(healthy.authorityHost)} is throttling token requests \\(HTTP 429, Retry-After 1 s\\); not retried`,
            ),
          },
        );
      }
    } finally {
      healthy.faults.entra = undefined;
    }
    const posts = healthy.log.entries.filter((x) => x.service === 'entra' && x.method === 'POST');
    expect(posts.filter((x) => x.detail === 'password')).toHaveLength(1);
    expect(posts.every((x) => x.result === '429')).toBe(true);
  });

  it('Graph 429 storm: bounded retries that honour Retry-After, then a clear throttling error', async () => {
    const e = await emulatorWith(undefined, 'graph-throttled');
    const r = await expectFault(
      '429 storm, Retry-After 1 s (Graph)',
      'user-account',
      e,
      {},
      {
        code: 'THROTTLED',
        message: /Microsoft Graph is throttling requests \(HTTP 429, Retry-After 1 s\) after \d retr/,
      },
    );
    expectHonouredRetryAfter(e, 2);
    expect(r.evidence).toMatchObject({ retryAfterSeconds: 1 });
  });

  it('Graph 429 storm with room to retry: exactly two retries, each after Retry-After', async () => {
    const e = await emulatorWith(undefined, 'graph-throttled');
    const r = await expectFault(
      '429 storm, longer limit (Graph)',
      'user-account',
      e,
      {},
      { code: 'THROTTLED', message: /\(HTTP 429, Retry-After 1 s\) after 2 retries/ },
      6000,
    );
    expect(r.evidence).toMatchObject({ retryAfterSeconds: 1, retries: 2 });
    expect(expectHonouredRetryAfter(e, 3)).toContain(3);
  });
});

/** Each throttled Graph path was tried at most `maxTries` times, never sooner than Retry-After; returns the counts. */
function expectHonouredRetryAfter(e: RunningEmulator, maxTries: number): number[] {
  const throttled = e.log.entries.filter((x) => x.service === 'graph' && x.result === '429');
  const byPath = new Map<string, typeof throttled>();
  for (const x of throttled) byPath.set(x.target, [...(byPath.get(x.target) ?? []), x]);
  for (const [path, tries] of byPath) {
    expect(tries.length, path).toBeLessThanOrEqual(maxTries);
    tries.slice(1).forEach((t, i) => {
      expect(Date.parse(t.at) - Date.parse(tries[i].at), `${path} retried before Retry-After`).toBeGreaterThanOrEqual(
        950,
      );
    });
  }
  return [...byPath.values()].map((t) => t.length);
}

describe('the whole run is bounded', () => {
  it('every mail server black-holed: the built CLI still ends, within about one limit after the Entra checks', async () => {
    const holes = await Promise.all([server(blackHole()), server(blackHole()), server(blackHole())]);
    const run = await runCli(['check', '--format', 'json', '--quiet', '--timeout', String(TIMEOUT_MS)], {
      env: emulatorEnv(healthy, {
        M365_DOCTOR_IMAP: holes[0].hostPort,
        M365_DOCTOR_POP: holes[1].hostPort,
        M365_DOCTOR_SMTP: holes[2].hostPort,
      }),
    });
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as {
      durationMs: number;
      checks: { id: string; status: string; code?: string; message: string; durationMs: number }[];
    };
    const mail = report.checks.filter((c) =>
      ['imap-login', 'pop-login', 'smtp-login', 'exchange-app-access'].includes(c.id),
    );
    for (const c of mail) {
      expect(c, c.id).toMatchObject({ status: 'error', code: 'TIMEOUT' });
      expect(c.message, c.id).toMatch(/^127\.0\.0\.1:\d+ did not complete (tls|greeting) within \d+ ms$/);
      expect(c.durationMs, c.id).toBeLessThanOrEqual(TIMEOUT_MS + SLACK_MS);
    }
    // The four mail checks wait side by side, so the run costs one limit for them, not four.
    const entraAndGraph = Math.max(...report.checks.filter((c) => !mail.includes(c)).map((c) => c.durationMs));
    expect(report.durationMs).toBeLessThanOrEqual(3 * TIMEOUT_MS + entraAndGraph);
    console.log(
      `whole run, every mail server black-holed: report ${report.durationMs} ms, process ${Math.round(run.ms)} ms, ` +
        `mail checks ${mail.map((c) => `${c.id} ${c.durationMs} ms`).join(', ')}`,
    );
  }, 60_000);
});
