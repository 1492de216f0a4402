// Defect 2 of the hostile world: NODE_TLS_REJECT_UNAUTHORIZED=0 must not turn certificate verification off.
// Every service presents a certificate nobody trusts; the variable is set; no credential may leave the process,
// and both stderr and the report name the variable as ignored.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { runCli } from '../helpers/cli.js';
import { emulatorEnv } from '../reliability/helpers/emulator-env.js';
import { untrustedStartTlsSmtp, untrustedTlsServer, type RecordingServer } from './helpers/untrusted-servers.js';

let emulator: RunningEmulator;
let servers: Record<'entra' | 'graph' | 'imap' | 'pop' | 'smtp', RecordingServer>;
const dir = mkdtempSync(join(tmpdir(), 'm365-doctor-tls-override-'));

beforeAll(async () => {
  emulator = await startEmulator();
  const [entra, graph, imap, pop, smtp] = await Promise.all([
    untrustedTlsServer(),
    untrustedTlsServer(),
    untrustedTlsServer('* OK IMAP4rev1 ready\r\n'),
    untrustedTlsServer('+OK POP3 ready\r\n'),
    untrustedStartTlsSmtp(),
  ]);
  servers = { entra, graph, imap, pop, smtp };
}, 60_000);
afterAll(async () => {
  await Promise.all(Object.values(servers ?? {}).map((s) => s.close()));
  await emulator?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const codes = (stdout: string) =>
  Object.fromEntries(
    (JSON.parse(stdout) as { checks: { id: string; code: string | null }[] }).checks.map((c) => [c.id, c.code]),
  );

describe('NODE_TLS_REJECT_UNAUTHORIZED=0', () => {
  it('changes nothing when every service has an untrusted certificate: nothing is sent, the variable is named', async () => {
    const report = join(dir, 'all.json');
    const run = await runCli(['check', '--format', 'json', '--report', `json:${report}`], {
      env: emulatorEnv(emulator, {
        NODE_TLS_REJECT_UNAUTHORIZED: '0',
        M365_DOCTOR_CA_FILE: '',
        M365_DOCTOR_AUTHORITY_HOST: servers.entra.origin,
        M365_DOCTOR_GRAPH_URL: servers.graph.origin,
        M365_DOCTOR_IMAP: servers.imap.hostPort,
        M365_DOCTOR_POP: servers.pop.hostPort,
        M365_DOCTOR_SMTP: servers.smtp.hostPort,
      }),
    });
    expect(run.code, run.stderr).toBe(1);
    for (const [name, s] of Object.entries(servers)) {
      expect(s.handshakes, `${name}: handshakes the client accepted`).toBe(0);
      expect(s.received, name).toBe('');
    }
    expect(codes(run.stdout)['tenant-discovery']).toBe('TLS_UNTRUSTED');
    expect(run.stderr).toMatch(/warning: NODE_TLS_REJECT_UNAUTHORIZED=0 is set in the environment and was ignored/);
    expect(run.stderr).not.toMatch(/makes TLS connections and HTTPS requests insecure/); // Node's own warning: never reached
    const saved = JSON.parse(readFileSync(report, 'utf8')) as { environment: { warnings?: string[] } };
    expect(saved.environment.warnings?.join(' ')).toMatch(/NODE_TLS_REJECT_UNAUTHORIZED=0 .*ignored/);
  }, 60_000);

  it('sends no XOAUTH2 bearer to mail servers with untrusted certificates, with a real token in hand', async () => {
    const run = await runCli(['check', '--format', 'json'], {
      env: emulatorEnv(emulator, {
        NODE_TLS_REJECT_UNAUTHORIZED: '0',
        M365_DOCTOR_IMAP: servers.imap.hostPort,
        M365_DOCTOR_POP: servers.pop.hostPort,
        M365_DOCTOR_SMTP: servers.smtp.hostPort,
      }),
    });
    const c = codes(run.stdout);
    expect(c['ropc-token'], run.stderr).toBe('ROPC_OK');
    for (const id of ['imap-login', 'pop-login', 'smtp-login']) expect(c[id], id).toBe('TLS_UNTRUSTED');
    for (const name of ['imap', 'pop', 'smtp'] as const) {
      expect(servers[name].handshakes, name).toBe(0);
      expect(servers[name].received, name).toBe('');
    }
  }, 60_000);
});
