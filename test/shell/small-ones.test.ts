// Issue #13 item 8: the unknown-scenario message names every scenario; `--admin device-code` against the
// standalone emulator prints Entra's sign-in instruction and signs in; a refused device-code app is named.
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:https';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinChecks } from '../../checks/index.js';
import { createClients } from '../../src/clients/create.js';
import type { ResolvedConfig } from '../../src/config/types.js';
import { emulatorEndpoints, startEmulator } from '../../src/emulator/index.js';
import { silentLogger } from '../../src/core/log.js';
import { Redactor } from '../../src/core/redact.js';
import { runChecks } from '../../src/runner/run.js';
import { Secret } from '../../src/core/secret.js';
import { SCENARIO_NAMES } from '../../src/emulator/scenarios.js';
import { BIN, ROOT, runCli } from '../helpers/cli.js';
import {
  mailFlags,
  startStandaloneEmulator,
  targetFlags,
  type StandaloneEmulator,
} from './helpers/standalone-emulator.js';

describe('unknown --scenario', () => {
  it('lists every scenario name, on one line, exit 2', async () => {
    const run = await runCli(['check', '--scenario', 'no-such-problem']);
    expect(run.code).toBe(2);
    const lines = run.stderr.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/unknown scenario 'no-such-problem'/);
    for (const name of SCENARIO_NAMES) expect(lines[0]).toContain(name);
    expect(lines[0]).not.toContain('…');
  });

  it('still cuts a pasted value at 400 characters', async () => {
    const run = await runCli(['check', '--scenario', 'x'.repeat(2000)]);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toContain('x'.repeat(500));
  });
});

describe('--admin device-code against the standalone emulator', { timeout: 60_000 }, () => {
  let emu: StandaloneEmulator;
  let stopEmulator = () => {};
  beforeAll(async () => {
    ({ emu, stop: stopEmulator } = await startStandaloneEmulator());
  });
  afterAll(() => stopEmulator());

  /** The deviceauth page, as a person signing in would post it. */
  const approve = (userCode: string) =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        `${emu.authorityHost}/common/oauth2/deviceauth`,
        {
          method: 'POST',
          ca: readFileSync(emu.caFile),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(`user_code=${encodeURIComponent(userCode)}`);
    });

  const check = (extra: string[]) => {
    const args = [
      'check',
      ...targetFlags(emu),
      ...mailFlags(emu),
      '--only',
      'user-license',
      '--format',
      'json',
      '--timeout',
      '30000',
      ...extra,
    ];
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('M365_DOCTOR_')) env[k] = v;
    Object.assign(env, { M365_DOCTOR_CLIENT_SECRET: emu.clientSecret, M365_DOCTOR_PASSWORD: emu.password });
    return spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  };
  const finished = (p: ChildProcess) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      let stdout = '';
      let stderr = '';
      p.stdout!.on('data', (d) => {
        stdout += d;
      });
      p.stderr!.on('data', (d) => {
        stderr += d;
      });
      p.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  it('prints the sign-in instruction (not "undefined") and reads the directory once approved', async () => {
    const p = check(['--admin', 'device-code']);
    const done = finished(p);
    const userCode = await new Promise<string>((resolve) => {
      let err = '';
      p.stderr!.on('data', (d) => {
        err += d;
        const m =
          /To sign in, use a web browser to open the page (\S+) and enter the code (\S+) to authenticate\./.exec(err);
        if (m) resolve(m[2]);
      });
    });
    expect(await approve(userCode)).toBe(200);
    const run = await done;
    expect(run.stderr).not.toMatch(/^undefined$/m);
    const report = JSON.parse(run.stdout) as { checks: { id: string; status: string; message: string }[] };
    const license = report.checks.find((c) => c.id === 'user-license')!;
    expect(license.status, license.message).toBe('pass');
  });
});

describe('a refused device-code app', () => {
  it('is named in the result, not the connector app', async () => {
    const emu = await startEmulator({ autoApproveDeviceCodes: true });
    try {
      const c = emu.credentials;
      const unknownApp = '0badc0de-0000-4000-8000-000000000001';
      const config: ResolvedConfig = {
        cloud: 'global',
        tenant: c.domain,
        clientId: c.clientId,
        clientSecret: new Secret(c.clientSecret),
        username: c.username,
        password: new Secret(c.password),
        activities: ['read-imap'],
        profile: 'vendor',
        endpoints: emulatorEndpoints(emu),
        caPem: emu.caPem,
        timeoutMs: 10000,
        sendTestMail: false,
        exceptions: [],
        admin: { kind: 'device-code', clientId: unknownApp },
      };
      const redactor = new Redactor();
      const messages: string[] = [];
      const clients = createClients(config, { redactor, log: silentLogger, onDeviceCode: (m) => messages.push(m) });
      const { results } = await runChecks({
        checks: builtinChecks,
        config,
        clients,
        redactor,
        log: silentLogger,
        only: ['user-license'],
      });
      await clients.close?.();
      const refused = results.filter((r) => r.code === 'AADSTS700016');
      expect(refused.length, JSON.stringify(results)).toBeGreaterThan(0);
      for (const r of refused) {
        expect(r.message).toContain(unknownApp);
        expect(r.message).not.toContain(c.clientId);
      }
      // The refused devicecode request has no instruction to show.
      expect(messages).toEqual([]);
    } finally {
      await emu.stop();
    }
  });
});
