// A default run only reads: the emulator's request log shows no Graph write, no mailbox change and no
// SMTP MAIL/RCPT/DATA. Sending is one explicit flag away, and then exactly one message goes out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import type { RequestLogEntry } from '../../src/emulator/request-log.js';
import { runCli } from '../helpers/cli.js';
import { emulatorEnv } from './helpers/emulator-env.js';

// Commands that only read or authenticate, per protocol; anything else in the log would be a write or a surprise.
const READ_ONLY: Record<'imap' | 'pop' | 'smtp', ReadonlySet<string>> = {
  imap: new Set(['CAPABILITY', 'AUTHENTICATE', 'EXAMINE', 'LOGOUT', 'NOOP']),
  pop: new Set(['CAPA', 'AUTH', 'STAT', 'QUIT', 'NOOP']),
  smtp: new Set(['EHLO', 'STARTTLS', 'AUTH', 'QUIT', 'NOOP']),
};

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator?.stop();
});

const summarize = (entries: readonly RequestLogEntry[]) => {
  const by: Record<string, Record<string, number>> = {};
  for (const e of entries) (by[e.service] ??= {})[e.method] = (by[e.service][e.method] ?? 0) + 1;
  return by;
};

async function run(extra: string[]) {
  emulator.log.clear();
  const before = emulator.smtpMessages.length;
  const cli = await runCli(['check', '--format', 'json', '--quiet', ...extra], { env: emulatorEnv(emulator) });
  const entries = [...emulator.log.entries];
  const report = JSON.parse(cli.stdout) as { checks: { id: string; status: string }[] };
  return { cli, entries, report, sent: emulator.smtpMessages.length - before, by: summarize(entries) };
}

describe('read-only by default', () => {
  it('a full healthy run makes only GETs to Graph and no SMTP MAIL/RCPT/DATA', async () => {
    const { cli, entries, report, sent, by } = await run([]);
    expect(cli.code, cli.stderr).toBe(0);
    // Every check that talks to a service passed, so the log below covers the whole run (exchange-app-smtp skips after
    // reading the app-only token: this app does not hold SMTP.SendAsApp).
    expect(report.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}:${c.status}`)).toEqual([
      'exchange-app-smtp:skip',
      'smtp-send:skip',
    ]);

    const graph = entries.filter((e) => e.service === 'graph');
    expect(graph.length).toBeGreaterThan(5);
    expect(graph.filter((e) => e.method !== 'GET')).toEqual([]);
    // Entra is only asked for metadata (GET) and tokens (POST to a token endpoint).
    expect(
      entries.filter((e) => e.service === 'entra' && !(e.method === 'GET' || /\/token$/.test(e.target.split('?')[0]))),
    ).toEqual([]);
    for (const protocol of ['imap', 'pop', 'smtp'] as const) {
      const used = entries.filter((e) => e.service === protocol);
      expect(used.length, protocol).toBeGreaterThan(0);
      expect(
        used.filter((e) => !READ_ONLY[protocol].has(e.method)).map((e) => e.method),
        protocol,
      ).toEqual([]);
    }
    expect(emulator.log.count({ service: 'smtp', method: 'DATA' })).toBe(0);
    expect(sent).toBe(0);
    console.log(
      `read-only: ${entries.length} requests, ${graph.length} Graph (all GET), by service and verb: ${JSON.stringify(by)}`,
    );
  });

  it('--send-test-mail sends exactly one message: one MAIL, one RCPT, one DATA', async () => {
    const { cli, report, sent, by } = await run(['--send-test-mail']);
    expect(cli.code, cli.stderr).toBe(0);
    expect(report.checks.find((c) => c.id === 'smtp-send')?.status).toBe('pass');
    expect({ MAIL: by.smtp?.MAIL, RCPT: by.smtp?.RCPT, DATA: by.smtp?.DATA }).toEqual({ MAIL: 1, RCPT: 1, DATA: 1 });
    expect(sent).toBe(1);
    expect(Object.keys(by.graph ?? {})).toEqual(['GET']);
    console.log(`--send-test-mail: SMTP verbs ${JSON.stringify(by.smtp)}, messages accepted: ${sent}`);
  });
});
