// action.yml: its bash steps run as GitHub would run them (bash -eo pipefail, inputs in env), with a fake Node that records its argv.
// test/ci/action.test.ts runs the whole action for real (install from the checkout, the emulated tenant).
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const ACTION = readFileSync(resolve(import.meta.dirname, '../../action.yml'), 'utf8');

/** The `run: |` block of the step whose first line is `- name: <name>`, dedented. */
function runBlock(name: string): string {
  const lines = ACTION.split('\n');
  const start = lines.findIndex((l) => l.trim() === `- name: ${name}`);
  expect(start, name).toBeGreaterThan(0);
  const run = lines.findIndex((l, i) => i > start && l.trim() === 'run: |');
  const indent = lines[run].indexOf('run:') + 2;
  const body: string[] = [];
  for (let i = run + 1; i < lines.length && (lines[i].trim() === '' || lines[i].startsWith(' '.repeat(indent))); i++)
    body.push(lines[i].slice(indent));
  return body.join('\n');
}

let dir: string;
const HAVE_BASH = spawnSync('bash', ['-c', 'exit 0']).status === 0;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'm365-doctor-action-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  status: number | null;
  stdout: string;
  argv: string[];
  output: string;
  summary: string;
}

function runCheckStep(env: Record<string, string>, fakeExit = 0, writesReport = true): Run {
  const bin = join(dir, 'bin');
  spawnSync('mkdir', ['-p', bin]);
  // The fake Node writes one argument per line, then a Markdown and a JSON report where --report asked for them.
  writeFileSync(
    join(bin, 'fake-node'),
    `#!/usr/bin/env bash
for a in "$@"; do printf '%s\\n' "$a"; done > "${dir}/argv"
for a in "$@"; do case "$a" in markdown:*) printf '## fake report\\n' > "\${a#markdown:}" ;; json:*) ${writesReport ? `echo '{}' > "\${a#json:}"` : ':'} ;; esac; done
exit ${fakeExit}
`,
  );
  chmodSync(join(bin, 'fake-node'), 0o755);
  const output = join(dir, 'output');
  const summary = join(dir, 'summary');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const script = join(dir, 'check.sh');
  writeFileSync(script, runBlock('Run m365-doctor'));
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      PATH: `${bin}:${process.env.PATH}`,
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
      ACTION_ARGS: '',
      ACTION_FAIL_ON: 'fail',
      ACTION_REPORT_DIR: 'out',
      ACTION_STEP_SUMMARY: 'true',
      ACTION_PATH: '/action',
      INSTALLED: 'true',
      DOCTOR_NODE: join(bin, 'fake-node'),
      M365_DOCTOR_PASSWORD: 'x',
      ...env,
    },
  });
  const argvFile = join(dir, 'argv');
  return {
    status: r.status,
    stdout: r.stdout + r.stderr,
    argv: existsSync(argvFile) ? readFileSync(argvFile, 'utf8').split('\n').slice(0, -1) : [],
    output: readFileSync(output, 'utf8'),
    summary: readFileSync(summary, 'utf8'),
  };
}

describe.skipIf(!HAVE_BASH)('action.yml', () => {
  it('declares the inputs, passes secrets only through env, uploads always and fails last', () => {
    for (const input of ['tenant', 'client-id', 'username', 'activities', 'cloud', 'args', 'fail-on', 'report-dir']) {
      expect(ACTION).toMatch(new RegExp(`^  ${input}:\\n    description:`, 'm'));
    }
    expect(ACTION).toContain('uses: actions/setup-node@v4\n      with:\n        node-version: 24');
    expect(ACTION).toMatch(
      /- name: Upload m365-doctor reports\n\s+if: always\(\)\n\s+uses: actions\/upload-artifact@v4/,
    );
    // No input is interpolated into a script: ${{ }} appears only in env:, with: and outputs.
    for (const name of ['Run m365-doctor', 'Fail the job when m365-doctor found problems'])
      expect(runBlock(name)).not.toContain('${{');
    expect(ACTION).not.toMatch(/inputs\.(client-secret|password)/);
  });

  it('runs check with the three reports (and Markdown for the job summary) and records the exit code', () => {
    const r = runCheckStep({}, 1);
    expect(r.status, r.stdout).toBe(0);
    expect(r.argv).toEqual([
      '/action/bin/m365-doctor.js',
      'check',
      '--fail-on',
      'fail',
      '--report',
      'json:out/m365-doctor.json',
      '--report',
      'junit:out/m365-doctor.xml',
      '--report',
      'html:out/m365-doctor.html',
      '--report',
      'markdown:out/m365-doctor.md',
    ]);
    expect(r.output).toBe('exit-code=1\noutcome=checks-failed\n');
    expect(r.summary).toBe('## fake report\n');
  });

  it('exit 1 without a report (a crash) is no-report, not a check result', () => {
    const r = runCheckStep({}, 1, false);
    expect(r.status, r.stdout).toBe(0);
    expect(r.output).toBe('exit-code=1\noutcome=no-report\n');
    expect(r.summary).toContain('without writing its report');
  });

  it('splits args like a shell but never runs what they hold', () => {
    const r = runCheckStep({
      ACTION_ARGS: `--only "ropc-token imap-login" --timeout 30000 $(touch pwned) \`touch pwned2\` *`,
      ACTION_STEP_SUMMARY: 'false',
    });
    expect(r.status, r.stdout).toBe(0);
    expect(r.argv.slice(10)).toEqual([
      '--only',
      'ropc-token imap-login',
      '--timeout',
      '30000',
      '$(touch',
      'pwned)',
      '`touch',
      'pwned2`',
      '*',
    ]);
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
    expect(existsSync(join(dir, 'pwned2'))).toBe(false);
    expect(r.argv).not.toContain('markdown:out/m365-doctor.md');
    expect(r.summary).toBe('');
  });

  it('refuses a bad fail-on or an unmatched quote with exit code 2, before running anything', () => {
    for (const env of [{ ACTION_FAIL_ON: 'error' }, { ACTION_ARGS: '--only "ropc-token' }] as Record<
      string,
      string
    >[]) {
      const r = runCheckStep(env);
      expect(r.status, r.stdout).toBe(0);
      expect(r.output).toBe('exit-code=2\noutcome=usage-error\n');
      expect(r.argv).toEqual([]);
      expect(r.stdout).toContain('::error title=m365-doctor::');
    }
  });

  it('fails the job in the last step from the recorded exit code', () => {
    const last = runBlock('Fail the job when m365-doctor found problems');
    const run = (code: string | undefined, outcome: string | undefined) => {
      const env: NodeJS.ProcessEnv = { ...process.env, ARTIFACT: 'm365-doctor-report' };
      if (code === undefined) delete env.CODE;
      else env.CODE = code;
      if (outcome === undefined) delete env.OUTCOME;
      else env.OUTCOME = outcome;
      return spawnSync('bash', ['-eo', 'pipefail', '-c', last], { encoding: 'utf8', env });
    };
    expect(run('0', 'passed').status).toBe(0);
    expect(run('1', 'checks-failed').status).toBe(1);
    expect(run('1', 'checks-failed').stdout).toContain('::error title=m365-doctor::Checks failed');
    expect(run('2', 'usage-error').status).toBe(2);
    expect(run('2', 'usage-error').stdout).not.toContain('Checks failed');
    expect(run('2', 'install-failed').stdout).toContain('could not be installed');
    expect(run('1', 'no-report').status).toBe(2);
    expect(run('1', 'no-report').stdout).toContain('without a report');
    expect(run(undefined, undefined).status).toBe(2);
  });
});
