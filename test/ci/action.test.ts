// Runs action.yml's steps the way the GitHub runner does: inputs and expressions substituted into each step's env,
// each `run:` as `bash --noprofile --norc -eo pipefail FILE` with GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_PATH
// files, from a copy of the checkout as github.action_path. The two `uses:` steps stand in for what they do
// (setup-node puts its Node first on PATH; upload-artifact takes the report folder).
import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startEmulator } from '../../src/emulator/index.js';
import { ROOT } from '../helpers/cli.js';

interface Step {
  id?: string;
  name: string;
  if?: string;
  uses?: string;
  with?: Record<string, unknown>;
  shell?: string;
  env?: Record<string, string>;
  run?: string;
}
interface Action {
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as Action;
const work = mkdtempSync(join(tmpdir(), 'm365-action-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A copy of the checkout as a release ref has it: sources, the lock file and the built bundle (dist/cli). */
function checkout(name: string): string {
  const dir = join(work, name);
  for (const entry of [
    'package.json',
    'package-lock.json',
    'README.md',
    'bin',
    'schemas',
    'docs',
    join('dist', 'cli'),
  ]) {
    cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  }
  return dir;
}

interface JobRun {
  outputs: Record<string, string>;
  /** Exit code of the action's last step: the job's result. */
  jobCode: number;
  log: string;
  summary: string;
  githubPath: string[];
  artifact?: { name: string; files: string[] };
  node: { caller: string; action: string };
}

async function runAction(
  actionPath: string,
  inputs: Record<string, string>,
  secrets: Record<string, string>,
  cwd: string,
): Promise<JobRun> {
  mkdirSync(cwd, { recursive: true });
  const temp = mkdtempSync(join(work, 'runner-'));
  const summaryFile = join(temp, 'summary.md');
  const pathFile = join(temp, 'path');
  writeFileSync(summaryFile, '');
  writeFileSync(pathFile, '');
  // The job's own Node (the caller's) and the one setup-node brings: two directories, each with a `node`.
  const callerBin = join(temp, 'caller-bin');
  const setupBin = join(temp, 'setup-node-bin');
  for (const bin of [callerBin, setupBin]) {
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
  }
  let PATH = [callerBin, process.env.PATH ?? ''].join(delimiter);

  const given: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) {
    if (spec.required && inputs[name] === undefined) throw new Error(`input ${name} is required`);
    given[name] = inputs[name] ?? String(spec.default ?? '');
  }
  const steps: Record<string, Record<string, string>> = {};
  const expr = (text: string) =>
    text.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, e: string) => {
      let m: RegExpExecArray | null;
      if ((m = /^inputs\.([a-z-]+)$/.exec(e))) return given[m[1]] ?? '';
      if (e === 'github.action_path') return actionPath;
      if (e === 'runner.temp') return temp;
      if ((m = /^steps\.([a-z-]+)\.outputs\.([a-z-]+)$/.exec(e))) return steps[m[1]]?.[m[2]] ?? '';
      throw new Error(`expression not known to this runner: ${e}`);
    });

  let log = '';
  let jobCode = 0;
  let artifact: JobRun['artifact'];
  let failed = false;
  for (const step of action.runs.steps) {
    if (failed && step.if !== 'always()') continue;
    if (step.if && step.if !== 'always()') throw new Error(`if: not known to this runner: ${step.if}`);
    if (step.uses?.startsWith('actions/setup-node@')) {
      expect([22, 24]).toContain(Number(step.with?.['node-version']));
      expect(step.with?.cache).toBe('npm');
      expect(expr(String(step.with?.['cache-dependency-path']))).toBe(join(actionPath, 'package-lock.json'));
      PATH = [setupBin, PATH].join(delimiter);
      continue;
    }
    if (step.uses?.startsWith('actions/upload-artifact@')) {
      const folder = join(cwd, expr(String(step.with?.path)));
      artifact = { name: expr(String(step.with?.name)), files: existsSync(folder) ? readdirSync(folder).sort() : [] };
      continue;
    }
    if (!step.run) throw new Error(`step ${step.name} is neither run: nor a known uses:`);
    expect(step.shell).toBe('bash');
    // Expressions only in env: a script with ${{ }} in it would let an input inject shell code.
    expect(step.run).not.toContain('${{');
    const outputFile = join(temp, `output-${step.id ?? 'x'}`);
    writeFileSync(outputFile, '');
    const script = join(temp, `step-${step.id ?? 'x'}.sh`);
    writeFileSync(script, step.run);
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env))
      if (v !== undefined && !k.startsWith('M365_DOCTOR_') && !k.startsWith('GITHUB_')) env[k] = v;
    Object.assign(env, secrets, {
      PATH,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_PATH: pathFile,
      RUNNER_TEMP: temp,
      npm_config_prefer_offline: 'true',
    });
    for (const [k, v] of Object.entries(step.env ?? {})) env[k] = expr(String(v));
    // Not spawnSync: the emulated tenant runs in this process and must go on answering.
    const r = await bash(script, cwd, env);
    log += `## ${step.name}\n${r.output}`;
    jobCode = r.code;
    if (jobCode !== 0) failed = true;
    if (step.id) {
      steps[step.id] = Object.fromEntries(
        readFileSync(outputFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      );
    }
  }
  const outputs = Object.fromEntries(Object.entries(action.outputs).map(([k, o]) => [k, expr(o.value)]));
  return {
    outputs,
    jobCode,
    log,
    summary: readFileSync(summaryFile, 'utf8'),
    artifact,
    githubPath: readFileSync(pathFile, 'utf8').split('\n').filter(Boolean),
    node: { caller: callerBin, action: steps.install?.node ?? '' },
  };
}

function bash(script: string, cwd: string, env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

describe('action.yml run as the runner runs it', () => {
  let emu: Awaited<ReturnType<typeof startEmulator>>;
  let installed: string;
  beforeAll(async () => {
    emu = await startEmulator({ scenario: 'healthy' });
    installed = checkout('action');
  });
  afterAll(async () => {
    await emu?.stop();
  });

  const inputs = () => {
    const c = emu.credentials;
    const hp = (h: { host: string; port: number }) => `${h.host}:${h.port}`;
    return {
      tenant: c.tenantId,
      'client-id': c.clientId,
      username: c.username,
      args: `--admin-client-id ${c.adminClientId} --authority-host ${emu.authorityHost} --graph-url ${emu.graphUrl} --imap ${hp(emu.imap)} --pop ${hp(emu.pop)} --smtp ${hp(emu.smtp)} --ca-file '${emu.caFile}'`,
    };
  };
  const secrets = (password = emu.credentials.password) => ({
    M365_DOCTOR_CLIENT_SECRET: emu.credentials.clientSecret,
    M365_DOCTOR_PASSWORD: password,
    M365_DOCTOR_ADMIN_CLIENT_SECRET: emu.credentials.adminClientSecret,
  });

  it('healthy tenant: installs from its checkout, passes, uploads the four reports, writes the summary, gives the job its Node back', async () => {
    const run = await runAction(installed, inputs(), secrets(), join(work, 'job-ok'));
    expect(run.outputs, run.log).toEqual({ 'exit-code': '0', outcome: 'passed', 'report-dir': 'm365-doctor-report' });
    expect(run.jobCode, run.log).toBe(0);
    expect(run.log).toContain('m365-doctor: nothing failed.');
    expect(run.artifact).toEqual({
      name: 'm365-doctor-report',
      files: ['m365-doctor.html', 'm365-doctor.json', 'm365-doctor.md', 'm365-doctor.xml'],
    });
    expect(run.summary).toContain('m365-doctor');
    expect(run.summary).toMatch(/ropc-token|ROPC/);
    // m365-doctor ran on setup-node's Node; later steps find the caller's first again.
    expect(run.node.action).toBe(join(run.node.action, '..', 'node'));
    expect(run.node.action).toContain('setup-node-bin');
    expect(run.githubPath).toEqual([run.node.caller]);
    expect(existsSync(join(installed, 'node_modules'))).toBe(true);
  });

  it('a finding (wrong password): checks-failed, exit 1, reports and summary still there', async () => {
    const run = await runAction(installed, inputs(), secrets('Wrong-Password-1'), join(work, 'job-finding'));
    expect(run.outputs['exit-code'], run.log).toBe('1');
    expect(run.outputs.outcome).toBe('checks-failed');
    expect(run.jobCode).toBe(1);
    expect(run.log).toContain('Checks failed; see the job summary');
    expect(run.artifact?.files).toContain('m365-doctor.json');
    const report = JSON.parse(
      readFileSync(join(work, 'job-finding', 'm365-doctor-report', 'm365-doctor.json'), 'utf8'),
    ) as { checks: { id: string; status: string }[] };
    expect(report.checks.find((c) => c.id === 'ropc-token')?.status).toBe('fail');
    expect(run.summary).toMatch(/ropc-token|ROPC/);
    expect(run.log + run.summary).not.toContain('Wrong-Password-1');
  });

  it('a usage error (bad fail-on) is reported as such, not as failed checks', async () => {
    const run = await runAction(installed, { ...inputs(), 'fail-on': 'sometimes' }, secrets(), join(work, 'job-usage'));
    expect(run.outputs).toMatchObject({ 'exit-code': '2', outcome: 'usage-error' });
    expect(run.jobCode).toBe(2);
    expect(run.log).toContain('usage or configuration error, not a check result');
    expect(run.log).not.toContain('Checks failed');
  });

  it('an install failure is reported as an install failure (exit 2, no check ran), with the summary saying so', async () => {
    const broken = checkout('broken');
    writeFileSync(join(broken, 'package-lock.json'), '{ this is not a lock file');
    const run = await runAction(broken, inputs(), secrets(), join(work, 'job-broken'));
    expect(run.outputs, run.log).toMatchObject({ 'exit-code': '2', outcome: 'install-failed' });
    expect(run.jobCode).toBe(2);
    expect(run.log).toContain("could not be installed from the action's checkout");
    expect(run.log).not.toContain('Checks failed');
    expect(run.summary).toContain('did not check anything');
    expect(run.artifact?.files ?? []).toEqual([]);
    expect(run.githubPath).toEqual([run.node.caller]);
  });
});
