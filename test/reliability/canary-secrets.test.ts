// Every emulator scenario, every report format, --verbose on: the built CLI runs against a tenant whose
// secrets are canaries, and nothing it writes (stdout, stderr, report files) holds a canary in any
// encoding, a token, or an XOAUTH2 string.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildScenario, SCENARIO_NAMES } from '../../src/emulator/scenarios.js';
import { REPORTER_NAMES } from '../../reporters/types.js';
import { runCli, type CliRun } from '../helpers/cli.js';
import { canarize, extraCanary, scanForLeaks, type Leak } from './helpers/canary.js';
import { inPool } from './helpers/pool.js';

const dir = mkdtempSync(join(tmpdir(), 'm365-doctor-reliability-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const EXTENSION: Record<string, string> = { table: 'txt', json: 'json', junit: 'xml', html: 'html', markdown: 'md' };

interface Scanned {
  name: string;
  run: CliRun;
  outputs: Record<string, string>;
  leaks: Leak[];
  bytes: number;
}

/** A scenario's tenant with canary secrets, as a --scenario-file. Infinity is not JSON: -1 stands for it. */
function canaryTenantFile(scenario: string): { file: string; canaries: string[]; credentials: Record<string, string> } {
  const { value, canaries } = canarize(buildScenario(scenario));
  const file = join(dir, `${scenario}.tenant.json`);
  writeFileSync(
    file,
    JSON.stringify(value, (_k, v: unknown) => (v === Infinity ? -1 : v)),
  );
  return { file, canaries, credentials: value.credentials as unknown as Record<string, string> };
}

/** One run writing every format: json on stdout, each other format (and json again) as a --report file. */
async function runAndScan(
  name: string,
  args: string[],
  canaries: string[],
  input?: string,
  env?: Record<string, string>,
): Promise<Scanned> {
  const reports = REPORTER_NAMES.map((f) => [f, join(dir, `${name}.${EXTENSION[f] ?? f}`)] as const);
  const run = await runCli(
    [
      'check',
      ...args,
      '--verbose',
      '--format',
      'json',
      '--timeout',
      '20000',
      ...reports.flatMap(([f, path]) => ['--report', `${f}:${path}`]),
    ],
    { input, env },
  );
  const outputs: Record<string, string> = { stdout: run.stdout, stderr: run.stderr };
  for (const [f, path] of reports) {
    try {
      outputs[`report.${f}`] = readFileSync(path, 'utf8');
    } catch {
      /* a run that stopped early writes none */
    }
  }
  const leaks = Object.entries(outputs).flatMap(([where, text]) => scanForLeaks(`${name} ${where}`, text, canaries));
  const bytes = Object.values(outputs).reduce((n, t) => n + Buffer.byteLength(t), 0);
  return { name, run, outputs, leaks, bytes };
}

function checksOf(s: Scanned): { id: string; status: string }[] {
  try {
    return (JSON.parse(s.run.stdout) as { checks: { id: string; status: string }[] }).checks;
  } catch {
    throw new Error(
      `${s.name}: stdout is not a JSON report (exit ${s.run.code}, ${s.run.stdout.length} bytes): ${s.run.stderr.slice(-600)}`,
    );
  }
}

describe('canary secrets never leave the process', () => {
  it(`${SCENARIO_NAMES.length} scenarios x ${REPORTER_NAMES.length} formats, --verbose: zero leaks`, async () => {
    const started = performance.now();
    const scanned = await inPool(
      SCENARIO_NAMES.map((scenario) => async () => {
        const { file, canaries } = canaryTenantFile(scenario);
        return runAndScan(scenario, ['--scenario-file', file], canaries);
      }),
      4,
    );
    const wall = Math.round(performance.now() - started);

    for (const s of scanned) {
      // A run that ended before writing its reports would scan nothing: each one must have run all checks.
      expect(s.run.code, `${s.name}: ${s.run.stderr.slice(0, 400)}`).toBeOneOf([0, 1]);
      expect(checksOf(s).length, s.name).toBeGreaterThanOrEqual(19);
      for (const f of REPORTER_NAMES) expect(s.outputs[`report.${f}`]?.length, `${s.name} ${f}`).toBeGreaterThan(0);
      expect(s.run.stderr, `${s.name}: --verbose logs`).toMatch(/\[debug\]/);
    }
    // The canaries really were the working secrets: the healthy tenant signs in with them.
    const healthy = checksOf(scanned.find((s) => s.name === 'healthy')!);
    for (const id of ['app-credentials', 'ropc-token', 'imap-login', 'pop-login', 'smtp-login', 'app-registration']) {
      expect(healthy.find((c) => c.id === id)?.status, id).toBe('pass');
    }

    const leaks = scanned.flatMap((s) => s.leaks);
    const outputs = scanned.reduce((n, s) => n + Object.keys(s.outputs).length, 0);
    const bytes = scanned.reduce((n, s) => n + s.bytes, 0);
    console.log(
      `canary scan: ${scanned.length} scenarios x ${REPORTER_NAMES.length} formats (${REPORTER_NAMES.join(', ')}) ` +
        `= ${scanned.length * REPORTER_NAMES.length} reports; ${outputs} outputs (stdout, stderr --verbose, report files), ` +
        `${(bytes / 1024).toFixed(0)} KiB scanned; leaks: ${leaks.length}; wall ${wall} ms`,
    );
    expect(leaks).toEqual([]);
  }, 300_000); // ~40 s on an idle two-core machine; CI neighbours can triple it

  it('secrets given on stdin, as plain flags, wrong on the command line, or next to a bad value: zero leaks', async () => {
    const { file, canaries, credentials: c } = canaryTenantFile('healthy');
    const wrongPassword = extraCanary('pw');
    const all = [...canaries, wrongPassword];
    const configFile = join(dir, 'wrong-field.config.json');
    writeFileSync(
      configFile,
      JSON.stringify({ tenant: 'contoso.onmicrosoft.com', password: c.password, clientSecret: c.clientSecret }),
    );
    const cases: [string, string[], string?, Record<string, string>?][] = [
      [
        'stdin',
        ['--scenario-file', file, '--client-secret-stdin', '--password-stdin', '--admin-client-secret-stdin'],
        `${c.clientSecret}\n${c.password}\n${c.adminClientSecret}\n`,
      ],
      ['plain-flags', ['--scenario-file', file, '--client-secret', c.clientSecret, '--password', c.password]],
      ['wrong-password-flag', ['--scenario-file', file, '--password', wrongPassword]],
      ['send-test-mail', ['--scenario-file', file, '--send-test-mail']],
      // A secret pasted into the wrong field, the secret itself coming from each source in turn.
      ['wrong-field-env', ['--client-id', c.password], undefined, { M365_DOCTOR_PASSWORD: c.password }],
      ['wrong-field-env-demo', ['--demo', '--client-id', c.password], undefined, { M365_DOCTOR_PASSWORD: c.password }],
      ['wrong-field-config-file', ['--config', configFile, '--client-id', c.clientSecret]],
      ['wrong-field-flag', ['--password', wrongPassword, '--client-id', wrongPassword]],
      ['wrong-field-scenario-file', ['--scenario-file', file, '--client-id', c.password]],
    ];
    const scanned = await inPool(
      cases.map(
        ([name, args, input, env]) =>
          () =>
            runAndScan(name, args, all, input, env),
      ),
      2,
    );
    const [stdin, plain, wrong, sent, ...wrongField] = scanned;
    expect(checksOf(stdin).find((x) => x.id === 'ropc-token')?.status).toBe('pass');
    expect(checksOf(plain).find((x) => x.id === 'ropc-token')?.status).toBe('pass');
    expect(plain.run.stderr).toMatch(/warning: --client-secret puts the secret in your shell history/);
    expect(checksOf(wrong).find((x) => x.id === 'ropc-token')?.status).toBe('fail');
    // The one writing action (MAIL, RCPT, DATA after XOAUTH2) logs its dialog under --verbose too.
    expect(checksOf(sent).find((x) => x.id === 'smtp-send')?.status).toBe('pass');
    // A secret pasted into the wrong field is still scrubbed from the error that names the field.
    for (const bad of wrongField) {
      expect(bad.run.code, bad.name).toBe(2);
      expect(bad.run.stderr, bad.name).toMatch(/--client-id: "\[REDACTED\]" is not a GUID/);
    }
    const leaks = scanned.flatMap((s) => s.leaks);
    console.log(
      `canary channels: ${scanned.length} runs (${cases.map(([n]) => n).join(', ')}); leaks: ${leaks.length}`,
    );
    expect(leaks).toEqual([]);
  }, 120_000);
});
