// Packaging: `npm pack` ships only what runs, and the tarball installs into an empty folder (dependencies from the
// npm cache that `npm ci` filled) where `m365-doctor check --demo` passes as in the repository.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinChecks } from '../../checks/index.js';
import type { RunReport } from '../../src/core/result.js';
import { ROOT } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'm365-doctor-pack-'));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
/** What the package may hold: the bundled product, its CLI shim, schemas, check docs, README and package.json. */
const ALLOWED =
  /^(package\.json|README\.md|bin\/m365-doctor\.js|dist\/cli\/[A-Za-z0-9_-]+\.js|schemas\/[a-z-]+\.schema\.json|docs\/checks\/[a-z0-9-]+\.md)$/;

let packed: { filename: string; files: { path: string }[] };
const timings: Record<string, number> = {};

function run(cmd: string, args: string[], cwd: string, timeout = 120_000): SpawnSyncReturns<string> {
  const started = performance.now();
  // npm run's own settings (npm_config_*) would point the nested npm at this repository.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && !k.startsWith('M365_DOCTOR_')),
  );
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout, env: { ...env, NO_COLOR: '1' } });
  timings[`${cmd.split('/').pop()} ${args.slice(0, 2).join(' ')}`] = Math.round(performance.now() - started);
  return r;
}

beforeAll(() => {
  // The build is `npm test`'s first step; --ignore-scripts keeps pack from compiling it again.
  if (!existsSync(join(ROOT, 'dist/cli/main.js'))) throw new Error('dist/cli/ is missing: run "npm run build" first');
  const r = run(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT);
  expect(r.status, r.stderr).toBe(0);
  packed = (JSON.parse(r.stdout) as (typeof packed)[])[0];
}, 120_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  console.log(`pack test timings (ms): ${JSON.stringify(timings)}`);
});

describe('npm pack', () => {
  it('ships only the product: no sources, tests, benchmarks or maps', () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths.filter((p) => !ALLOWED.test(p))).toEqual([]);
    for (const needed of [
      'bin/m365-doctor.js',
      'dist/cli/main.js',
      'schemas/report.schema.json',
      'schemas/config.schema.json',
      'docs/checks/ropc-token.md',
      'README.md',
      'package.json',
    ]) {
      expect(paths, needed).toContain(needed);
    }
    expect(paths.filter((p) => p.startsWith('docs/checks/')).length).toBe(builtinChecks.length);
  });

  it('declares Node >= 20 and the CLI', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      engines: { node: string };
      bin: Record<string, string>;
    };
    expect(pkg.engines.node).toMatch(/^>=\s*20(\.\d+)*$/);
    expect(pkg.bin['m365-doctor']).toBe('bin/m365-doctor.js');
  });

  it('installs into an empty folder and runs check --demo there', () => {
    const app = join(dir, 'app');
    mkdirSync(app);
    const tgz = join(dir, packed.filename);
    let install = run(NPM, ['install', '--offline', '--no-audit', '--no-fund', tgz], app);
    // A cache that misses a package (an npm version difference) may fetch just that one.
    if (install.status !== 0) install = run(NPM, ['install', '--prefer-offline', '--no-audit', '--no-fund', tgz], app);
    expect(install.status, install.stderr).toBe(0);
    const bin = join(app, 'node_modules', '.bin', process.platform === 'win32' ? 'm365-doctor.cmd' : 'm365-doctor');
    const check = run(bin, ['check', '--demo', '--format', 'json', '--quiet', '--report', 'json:saved.json'], app);
    expect(check.status, check.stderr).toBe(0);
    const report = JSON.parse(check.stdout) as RunReport;
    expect(report.checks.map((c) => c.id)).toEqual(builtinChecks.map((c) => c.meta.id));
    expect(
      report.checks.filter((c) => c.status !== 'pass' && c.status !== 'skip').map((c) => `${c.id}: ${c.status}`),
    ).toEqual([]);
    expect(report.summary.pass).toBeGreaterThan(10);
    // The installed copy finds its own schemas: the saved report validates and re-renders there.
    const again = run(bin, ['report', 'saved.json', '--format', 'json', '--quiet'], app);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toBe(check.stdout);
  }, 180_000);
});
