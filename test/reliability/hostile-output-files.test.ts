// Where reports go wrong: a read-only folder, a full disk (a 1 MiB tmpfs, as root), a symlink at the path,
// 20 runs writing into one folder at once, stdout closed early. A report is complete or absent, never half;
// a report that cannot be written is exit 3 with one line; a symlink is replaced, never followed.
import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  writeSync,
  ftruncateSync,
  fstatSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli } from '../helpers/cli.js';
import { writeOneTarget } from './helpers/one-target.js';

const tmp = mkdtempSync(join(tmpdir(), 'm365-doctor-hostile-out-'));
const STACK_LINE = /^\s+at .+[(:]\d+:\d+\)?$/m;
const isRoot = process.getuid?.() === 0;
const mounts: string[] = [];
afterAll(() => {
  for (const m of mounts)
    try {
      execFileSync('umount', [m]);
    } catch {
      /* not mounted */
    }
  rmSync(tmp, { recursive: true, force: true });
});

/** A small tmpfs the test owns (root only). */
function tmpfs(name: string, options: string): string {
  const dir = join(tmp, name);
  mkdirSync(dir);
  execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]);
  mounts.push(dir);
  return dir;
}

const leftovers = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

function oneLine(stderr: string, pattern: RegExp) {
  const lines = stderr.split('\n').filter((l) => l.startsWith('m365-doctor: '));
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(STACK_LINE);
}

describe('a report that cannot be written is exit 3, one line, no partial file', () => {
  it('into a read-only folder', async () => {
    let dir: string;
    if (isRoot) {
      // Root ignores file modes: a read-only mount is what refuses root.
      dir = tmpfs('ro', 'size=1m');
      execFileSync('mount', ['-o', 'remount,ro', dir]);
    } else {
      dir = join(tmp, 'ro');
      mkdirSync(dir);
      chmodSync(dir, 0o555);
    }
    const run = await runCli(['check', '--demo', '--report', `json:${join(dir, 'r.json')}`]);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stdout).toMatch(/20 checks: 18 pass/); // the run itself went on: the report is on stdout
    oneLine(
      run.stderr,
      /^m365-doctor: --report: cannot write .*r\.json \((EROFS: read-only file system|EACCES: permission denied)\); nothing was written there$/,
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it.skipIf(!isRoot)(
    'onto a full disk (1 MiB tmpfs): the old report stays whole, no temporary file is left',
    async () => {
      const dir = tmpfs('full', 'size=1m');
      const report = join(dir, 'report.html');
      writeFileSync(report, 'OLD REPORT');
      // Fill the disk, then free 32 KiB: the 50 KiB HTML report starts to write and then meets ENOSPC; the 17 KiB JSON fits.
      const filler = openSync(join(dir, 'filler'), 'w');
      const block = Buffer.alloc(4096, 1);
      try {
        for (;;) writeSync(filler, block);
      } catch (err) {
        expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
      }
      ftruncateSync(filler, fstatSync(filler).size - 32 * 1024);
      closeSync(filler);
      const run = await runCli([
        'check',
        '--demo',
        '--report',
        `html:${report}`,
        '--report',
        `json:${join(dir, 'small.json')}`,
      ]);
      expect(run.code, run.stderr).toBe(3);
      oneLine(
        run.stderr,
        /^m365-doctor: --report: cannot write .*report\.html \(ENOSPC: no space left on the device\); nothing was written there$/,
      );
      // The other report fit and was written whole.
      expect(run.stderr).toMatch(/wrote json report to .*small\.json/);
      expect(JSON.parse(readFileSync(join(dir, 'small.json'), 'utf8')).summary).toBeDefined();
      expect(readFileSync(report, 'utf8')).toBe('OLD REPORT');
      expect(leftovers(dir)).toEqual([]);
    },
  );
  if (!isRoot)
    it('onto a full disk: SKIPPED, mounting a 1 MiB tmpfs needs root', () => {
      console.warn('SKIPPED: full-disk test needs root');
    });

  it('fleet and merge reports too', async () => {
    const dir = join(tmp, 'fleet-ro');
    mkdirSync(dir);
    writeFileSync(join(dir, 'blocker'), '');
    // A path through a file: ENOTDIR for root and everyone else alike.
    const target = join(dir, 'blocker', 'x.json');
    const shard = join(tmp, 'shard.json');
    const targets = join(tmp, 'targets.json');
    writeOneTarget(targets);
    writeFileSync(
      shard,
      (
        await runCli(['check', '--targets', targets, '--only', 'config', '--format', 'json'], {
          env: { M365_T_SECRET: 'x' },
        })
      ).stdout,
    );
    const direct = await runCli(['check', '--targets', targets, '--only', 'config', '--report', `json:${target}`], {
      env: { M365_T_SECRET: 'x' },
    });
    expect(direct.code, direct.stderr).toBe(3);
    oneLine(direct.stderr, /^m365-doctor: --report: cannot write .*x\.json \(ENOTDIR/);
    const run = await runCli(['merge', shard, '--format', 'json', '--report', `json:${target}`]);
    if (run.code === 2) return void expect.fail(`the fixture is not a fleet report: ${run.stderr}`);
    expect(run.code, run.stderr).toBe(3);
    oneLine(run.stderr, /^m365-doctor: --report: cannot write .*x\.json \(ENOTDIR/);
  });
});

describe('a symlink at the path is replaced, never followed', () => {
  it("--report json:link.json leaves the link's target untouched", async () => {
    const dir = join(tmp, 'links');
    mkdirSync(dir);
    writeFileSync(join(dir, 'victim.txt'), 'VICTIM');
    symlinkSync(join(dir, 'victim.txt'), join(dir, 'link.json'));
    symlinkSync(join(dir, 'nowhere.txt'), join(dir, 'dangling.json'));
    const run = await runCli([
      'check',
      '--demo',
      '--report',
      `json:${join(dir, 'link.json')}`,
      '--report',
      `junit:${join(dir, 'dangling.json')}`,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(join(dir, 'victim.txt'), 'utf8')).toBe('VICTIM');
    expect(lstatSync(join(dir, 'link.json')).isFile()).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'link.json'), 'utf8')).checks.length).toBeGreaterThan(10);
    expect(lstatSync(join(dir, 'dangling.json')).isFile()).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['dangling.json', 'link.json', 'victim.txt']);
  });

  it('init --force --file link replaces the link; without --force even a dangling link is "already exists"', async () => {
    const dir = join(tmp, 'init-links');
    mkdirSync(dir);
    writeFileSync(join(dir, 'victim.txt'), 'VICTIM');
    symlinkSync(join(dir, 'victim.txt'), join(dir, 'm365-doctor.json'));
    symlinkSync(join(dir, 'nowhere.txt'), join(dir, 'dangling.json'));
    const flags = [
      '--tenant',
      'contoso.onmicrosoft.com',
      '--client-id',
      '11111111-2222-3333-4444-555555555555',
      '--username',
      'a@contoso.com',
      '--yes',
    ];
    const refused = await runCli(['init', ...flags, '--file', 'dangling.json'], { cwd: dir });
    expect(refused.code).toBe(2);
    oneLine(refused.stderr, /--file: dangling\.json already exists/);
    expect(lstatSync(join(dir, 'dangling.json')).isSymbolicLink()).toBe(true);
    const run = await runCli(['init', ...flags, '--force', '--file', 'm365-doctor.json'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(join(dir, 'victim.txt'), 'utf8')).toBe('VICTIM');
    expect(lstatSync(join(dir, 'm365-doctor.json')).isFile()).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'm365-doctor.json'), 'utf8')).tenant).toBe('contoso.onmicrosoft.com');
    expect(leftovers(dir)).toEqual([]);
  });
});

describe('20 runs at once in one folder', () => {
  it('each report is complete JSON, the shared one too, and no temporary file is left', async () => {
    const dir = join(tmp, 'crowd');
    mkdirSync(dir);
    const runs = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        runCli([
          'check',
          '--demo',
          '--quiet',
          '--report',
          `json:${join(dir, `run-${i}.json`)}`,
          '--report',
          `json:${join(dir, 'shared.json')}`,
          '--report',
          `html:${join(dir, 'shared.html')}`,
        ]),
      ),
    );
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    for (let i = 0; i < 20; i++)
      expect(JSON.parse(readFileSync(join(dir, `run-${i}.json`), 'utf8')).summary.pass).toBeGreaterThan(10);
    expect(JSON.parse(readFileSync(join(dir, 'shared.json'), 'utf8')).summary.pass).toBeGreaterThan(10);
    expect(readFileSync(join(dir, 'shared.html'), 'utf8')).toMatch(/<\/html>\s*$/);
    expect(leftovers(dir)).toEqual([]);
    expect(readdirSync(dir)).toHaveLength(22);
  }, 120_000);
});

describe('stdout closed early', () => {
  it('check --demo | head -1 exits quietly', () => {
    const out = execFileSync(
      'bash',
      [
        '-c',
        `node ${JSON.stringify(BIN)} check --demo --format json 2>"$1" | head -c 1; echo " \${PIPESTATUS[0]}"`,
        '_',
        join(tmp, 'head.err'),
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(out.trim()).toMatch(/^\{ [01]$/);
    const stderr = readFileSync(join(tmp, 'head.err'), 'utf8');
    expect(stderr).not.toMatch(/EPIPE|STACK|internal error/);
    expect(stderr).not.toMatch(STACK_LINE);
  });

  it('a reader gone before the first byte: exit without EPIPE stack, for check, report and merge', async () => {
    const saved = join(tmp, 'saved.json');
    writeFileSync(
      saved,
      execFileSync(process.execPath, [BIN, 'check', '--demo', '--format', 'json'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    );
    for (const args of [
      ['check', '--demo', '--format', 'html'],
      ['report', saved, '--format', 'html'],
      ['checks', '--format', 'json'],
    ]) {
      const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect([0, 1], `${args.join(' ')}: ${stderr}`).toContain(code);
      expect(stderr, args.join(' ')).not.toMatch(/EPIPE|internal error/);
      expect(stderr).not.toMatch(STACK_LINE);
    }
  }, 60_000);
});
