// Runs the built m365-doctor CLI as a user would (node bin/m365-doctor.js), building dist/cli/ first when it is
// missing or older than the sources, and parses its JSON report.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunReport } from '../../src/core/result.js';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(REPO, 'bin', 'm365-doctor.js');
const BUILT_MAIN = join(REPO, 'dist', 'cli', 'main.js');
const SOURCE_DIRS = ['src', 'checks', 'reporters'];

function newestSourceMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMtime(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** `npm run build` (tsc, then the bundle) unless dist/cli/ is newer than every source; returns what was done, for the test log. */
export function ensureBuiltCli(): string {
  const built = existsSync(BUILT_MAIN) ? statSync(BUILT_MAIN).mtimeMs : 0;
  const sources = Math.max(
    ...SOURCE_DIRS.filter((d) => existsSync(join(REPO, d))).map((d) => newestSourceMtime(join(REPO, d))),
  );
  if (built > sources) return 'dist/ is up to date';
  const started = Date.now();
  // tsc emits even when some file has type errors; the CLI test then judges what was built.
  const r = spawnSync(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', REPO], {
    encoding: 'utf8',
    timeout: 180_000,
  });
  const bundle = spawnSync(process.execPath, [join(REPO, 'scripts', 'bundle.mjs')], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  r.stdout += bundle.stdout;
  r.stderr += bundle.stderr;
  if (!existsSync(BUILT_MAIN))
    throw new Error(`building the CLI failed (tsc exit ${r.status}):\n${(r.stdout + r.stderr).slice(0, 2000)}`);
  return `built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s${r.status ? ` (tsc reported type errors, exit ${r.status})` : ''}`;
}

export interface CliRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** The parsed --format json report (undefined when stdout was not JSON). */
  report?: RunReport;
  ms: number;
}

/** Runs `m365-doctor <args>` with only the given M365_DOCTOR_* variables (none inherited from this process). */
export function runCli(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<CliRun> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('M365_DOCTOR_')));
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO, env: { ...clean, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (exitCode) => {
      clearTimeout(timer);
      let report: RunReport | undefined;
      try {
        report = JSON.parse(stdout) as RunReport;
      } catch {
        report = undefined;
      }
      resolve({ exitCode, stdout, stderr, report, ms: Date.now() - started });
    });
  });
}
