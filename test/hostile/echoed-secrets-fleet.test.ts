// Defect 1 of the hostile world: a token endpoint that quotes the *previous* ROPC POST's password in its
// error_description. In a fleet run that is another target's password, which that target's redactor alone
// knew. Every output of the run (stdout, stderr, every report file, the spool) must hold none of them.
import { endpointValues } from '../../src/config/validate.js';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMailboxUsers } from '../../bench/fleet-fixture.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { loopbackServerCert } from '../../src/emulator/tls.js';
import { runCli } from '../helpers/cli.js';
import { scanForLeaks } from '../reliability/helpers/canary.js';
import { formOf, isTokenPost, startEchoFront, type EchoFront } from './helpers/echo-front.js';

let emulator: RunningEmulator;
let front: EchoFront;
const dir = mkdtempSync(join(tmpdir(), 'm365-doctor-echo-fleet-'));
const spoolParent = mkdtempSync(join(tmpdir(), 'm365-doctor-echo-tmp-'));

beforeAll(async () => {
  emulator = await startEmulator();
  front = await startEchoFront({
    upstream: emulator.authorityHost,
    caPem: emulator.caPem,
    cert: loopbackServerCert(),
    answer: (req, seen) => {
      if (!isTokenPost(req) || formOf(req).get('grant_type') !== 'password') return undefined;
      const previous = seen.filter((r) => isTokenPost(r) && formOf(r).get('grant_type') === 'password').at(-1);
      const quoted = previous ? (formOf(previous).get('password') ?? '') : 'none';
      const body = previous?.body ?? '';
      return {
        status: 400,
        body: JSON.stringify({
          error: 'invalid_grant',
          error_description: `AADSTS50126: Error validating credentials due to invalid username or password. Last password tried: ${quoted}; last request: ${body}`,
          error_codes: [50126],
        }),
      };
    },
  });
}, 60_000);
afterAll(async () => {
  await front?.close();
  await emulator?.stop();
  rmSync(dir, { recursive: true, force: true });
  rmSync(spoolParent, { recursive: true, force: true });
});

describe('a token endpoint quoting the previous POST', () => {
  it("leaks no target's password into another target's report, in any output", async () => {
    const users = addMailboxUsers(emulator, 4, '7');
    const passwords = users.map((_u, i) => `Pw CANARYfleet${i}x${Math.random().toString(16).slice(2, 10)}&<"'>+/%=`);
    const env: Record<string, string> = { ECHO_APP_SECRET: emulator.credentials.clientSecret };
    const targets = users.map((u, i) => {
      const password = i % 2 === 0 ? { env: `ECHO_PW_${i}` } : { file: `pw-${i}.txt` };
      if (i % 2 === 0) env[`ECHO_PW_${i}`] = passwords[i];
      else writeFileSync(join(dir, `pw-${i}.txt`), `${passwords[i]}\n`, { mode: 0o600 });
      return {
        name: `t${i}`,
        tenant: emulator.credentials.domain,
        clientId: emulator.credentials.clientId,
        clientSecret: { env: 'ECHO_APP_SECRET' },
        username: u.upn,
        password,
        endpoints: { ...endpointValues(emulator), authorityHost: front.origin },
      };
    });
    const targetsFile = join(dir, 'targets.json');
    writeFileSync(targetsFile, JSON.stringify({ defaults: { caFile: emulator.caFile }, targets }), { mode: 0o600 });
    const reports = ['json', 'junit', 'table'].map((f) => [f, join(dir, `fleet.${f}`)] as const);
    const run = await runCli(
      [
        'check',
        '--targets',
        targetsFile,
        '--concurrency',
        '1',
        '--format',
        'json',
        '--verbose',
        ...reports.flatMap(([f, p]) => ['--report', `${f}:${p}`]),
      ],
      { env: { ...env, TMPDIR: spoolParent }, cwd: dir },
    );

    // The echo really happened: four password POSTs, each after the first quoting another target's password.
    const posts = front.requests.filter((r) => isTokenPost(r) && formOf(r).get('grant_type') === 'password');
    expect(posts.length, run.stderr.slice(-1500)).toBe(4);
    expect(run.code, run.stderr.slice(-800)).toBe(1);
    const report = JSON.parse(run.stdout) as {
      targets: { report: { checks: { id: string; status: string; code: string | null }[] } }[];
    };
    for (const t of report.targets)
      expect(t.report.checks.find((c) => c.id === 'ropc-token')?.code).toBe('AADSTS50126');

    const outputs: Record<string, string> = { stdout: run.stdout, stderr: run.stderr };
    for (const [f, p] of reports) outputs[f] = readFileSync(p, 'utf8');
    for (const name of readdirSync(spoolParent)) outputs[`TMPDIR/${name}`] = name;
    const leaks = Object.entries(outputs).flatMap(([where, text]) => scanForLeaks(where, text, passwords));
    expect(leaks).toEqual([]);
    expect(run.stdout).toContain('Last password tried: [REDACTED]');
  }, 120_000);
});
