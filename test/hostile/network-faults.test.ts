// The hostile world, network faults the other suites do not stage: a token endpoint that resets the connection
// during the ROPC POST, and an IMAP server that never sends the tagged reply. Each ends within its time limit with
// its own code, and the fake token endpoint counts at most one password POST.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { loopbackServerCert } from '../../src/emulator/tls.js';
import { runCli } from '../helpers/cli.js';
import { emulatorEnv } from '../reliability/helpers/emulator-env.js';
import { formOf, isTokenPost, startEchoFront } from './helpers/echo-front.js';

const LIMIT_MS = 3000;
let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
}, 60_000);
afterAll(async () => {
  await emulator?.stop();
});

type Check = { id: string; status: string; code: string | null; remediation: string | null; durationMs: number };
const checksOf = (stdout: string) =>
  Object.fromEntries((JSON.parse(stdout) as { checks: Check[] }).checks.map((c) => [c.id, c]));

describe('network faults from fake servers', () => {
  it('a reset during the ROPC POST: one password POST, never repeated, a network error code', async () => {
    const front = await startEchoFront({
      upstream: emulator.authorityHost,
      caPem: emulator.caPem,
      cert: loopbackServerCert(),
      answer: (req) =>
        isTokenPost(req) && formOf(req).get('grant_type') === 'password'
          ? { status: 0, body: '', reset: true }
          : undefined,
    });
    try {
      const run = await runCli(['check', '--format', 'json', '--timeout', String(LIMIT_MS)], {
        env: emulatorEnv(emulator, { M365_DOCTOR_AUTHORITY_HOST: front.origin, NODE_TLS_REJECT_UNAUTHORIZED: '0' }),
      });
      const posts = front.requests.filter((r) => isTokenPost(r) && formOf(r).get('grant_type') === 'password');
      expect(posts).toHaveLength(1);
      const c = checksOf(run.stdout)['ropc-token'];
      expect(c.status).toBe('error');
      expect(c.code).toBe('CONNECTION_RESET');
      console.log('reset during the ROPC POST:', c.code, c.durationMs, 'ms');
      expect(c.durationMs).toBeLessThan(LIMIT_MS + 750);
    } finally {
      await front.close();
    }
  }, 60_000);

  it('an IMAP server that never sends the tagged reply to AUTHENTICATE: TIMEOUT within the limit, no hang', async () => {
    const cert = loopbackServerCert();
    const server = tls.createServer(cert, (s) => {
      s.on('error', () => {});
      s.write('* OK IMAP4rev1 ready\r\n');
      s.on('data', (d: Buffer) => {
        const [tag, cmd] = d.toString().split(' ');
        if (/^CAPABILITY/i.test(cmd ?? ''))
          s.write(`* CAPABILITY IMAP4rev1 AUTH=XOAUTH2 SASL-IR\r\n${tag} OK done\r\n`);
        // AUTHENTICATE: an untagged line now and then, never the tagged result.
        else
          setInterval(() => {
            if (!s.destroyed) s.write('* OK still thinking\r\n');
          }, 200).unref();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const started = performance.now();
      const run = await runCli(['check', '--format', 'json', '--timeout', String(LIMIT_MS)], {
        env: emulatorEnv(emulator, { M365_DOCTOR_IMAP: `127.0.0.1:${(server.address() as AddressInfo).port}` }),
      });
      const c = checksOf(run.stdout)['imap-login'];
      expect(c.status).toBe('error');
      expect(c.code).toBe('TIMEOUT');
      expect(c.durationMs).toBeLessThan(LIMIT_MS + 750);
      expect(performance.now() - started).toBeLessThan(4 * LIMIT_MS + 5000);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  }, 60_000);
});
