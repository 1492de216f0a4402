// The fleet through the built CLI: shards of a CI matrix, `merge`, exit codes, and a run's reuse of tokens
// and connections (counted in the emulator's request log). Needs dist/ (npm test builds it).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestCounts, startFleetFixture, type FleetFixture } from '../../bench/fleet-fixture.js';
import { BIN, runCli } from '../helpers/cli.js';
import { parseXml } from '../helpers/xml.js';
import { emulatorEnv } from '../reliability/helpers/emulator-env.js';

let fx: FleetFixture;
const tmp = () => mkdtempSync(join(tmpdir(), 'm365-doctor-fleet-cli-'));

beforeAll(async () => {
  fx = await startFleetFixture({ tenants: 2, mailboxes: 5 });
});
afterAll(async () => {
  await fx?.stop();
});

describe('check --targets', () => {
  it('runs the shards of a 3-job matrix; merge gives the same targets as one full run', async () => {
    const dir = tmp();
    const full = await runCli(['check', '--targets', fx.targetsFile, '--format', 'json', '--quiet'], { env: fx.env });
    expect(full.code, full.stderr).toBe(0);
    const shards = await Promise.all(
      [1, 2, 3].map((k) =>
        runCli(
          [
            'check',
            '--targets',
            fx.targetsFile,
            '--shard',
            `${k}/3`,
            '--concurrency',
            '2',
            '--format',
            'json',
            '--report',
            `junit:${dir}/s${k}.xml`,
          ],
          { env: fx.env },
        ),
      ),
    );
    shards.forEach((s, k) => {
      expect(s.code, s.stderr).toBe(0);
      writeFileSync(join(dir, `s${k + 1}.json`), s.stdout);
    });
    expect(shards[0].stderr).toMatch(/shard 1\/3: 2 of 5 targets/);
    const sizes = shards.map((s) => JSON.parse(s.stdout).targets.length);
    expect(sizes).toEqual([2, 2, 1]);

    const merged = await runCli(['merge', ...[3, 1, 2].map((k) => join(dir, `s${k}.json`)), '--format', 'json'], {});
    expect(merged.code, merged.stderr).toBe(0);
    const m = JSON.parse(merged.stdout);
    const f = JSON.parse(full.stdout);
    expect(m.targets.map((t: { name: string }) => t.name)).toEqual(f.targets.map((t: { name: string }) => t.name));
    expect(m.targetSummary).toEqual(f.targetSummary);
    expect(m.summary).toEqual(f.summary);
    expect(m.mergedShards).toEqual([
      { index: 1, count: 3 },
      { index: 2, count: 3 },
      { index: 3, count: 3 },
    ]);

    const junit = await runCli(['merge', join(dir, 's1.json'), join(dir, 's2.json'), '--format', 'junit'], {});
    expect(junit.stderr).toMatch(/warning: shard 3\/3 missing from the merge/);
    const root = parseXml(junit.stdout);
    expect(root.children.length).toBe(4 * 5);
    expect(parseXml(readFileSync(join(dir, 's1.xml'), 'utf8')).children.length).toBe(2 * 5);
  }, 180_000);

  it('refuses overlapping shards and non-fleet reports with exit 2', async () => {
    const dir = tmp();
    const one = await runCli(
      ['check', '--targets', fx.targetsFile, '--shard', '1/2', '--format', 'json', '--only', 'config'],
      { env: fx.env },
    );
    expect(one.code, one.stderr).toBe(0);
    writeFileSync(join(dir, 'a.json'), one.stdout);
    writeFileSync(join(dir, 'single.json'), JSON.stringify({ schemaVersion: 1, checks: [] }));
    const twice = await runCli(['merge', join(dir, 'a.json'), join(dir, 'a.json')], {});
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/a\.json: holds target 1 .*which a\.json holds too/);
    const single = await runCli(['merge', join(dir, 'single.json')], {});
    expect(single.code).toBe(2);
    expect(single.stderr).toMatch(/single\.json: is a single-target report/);
  }, 120_000);

  it('exits 1 when a target fails, 2 for an inline secret, single-target flags or a bad shard', async () => {
    const spec = JSON.parse(readFileSync(fx.targetsFile, 'utf8'));
    const dir = tmp();
    const failing = join(dir, 'failing.json');
    spec.defaults.caFile = fx.emulators[0].caFile;
    spec.targets[1].activities = ['read-pop'];
    fx.emulators[0].tenant.users.find((u) => u.userPrincipalName === spec.targets[1].username)!.mailbox!.popEnabled =
      false;
    writeFileSync(
      failing,
      JSON.stringify({
        ...spec,
        targets: spec.targets.map((t: Record<string, unknown>) => ({
          ...t,
          password: { file: join(fx.dir, (t.password as { file: string }).file) },
        })),
      }),
    );
    try {
      const run = await runCli(['check', '--targets', failing, '--quiet'], { env: fx.env });
      expect(run.code, run.stderr).toBe(1);
      expect(run.stdout).toMatch(/== Target 2: t1\/user0002@/);
      expect(run.stdout).not.toMatch(/== Target 1: /);
      expect(run.stdout).toMatch(/5 targets: 4 without problems, 1 with problems/);
    } finally {
      fx.emulators[0].tenant.users.find((u) => u.userPrincipalName === spec.targets[1].username)!.mailbox!.popEnabled =
        true;
    }

    const inline = join(dir, 'inline.json');
    writeFileSync(inline, JSON.stringify({ targets: [{ ...spec.targets[0], password: 'Inline-Secret-9!' }] }));
    const bad = await runCli(['check', '--targets', inline], {});
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/targets\[0\]\.password in inline\.json: is an inline secret/);
    expect(bad.stderr + bad.stdout).not.toContain('Inline-Secret-9!');

    const mixed = await runCli(['check', '--targets', fx.targetsFile, '--tenant', 'contoso.com'], { env: fx.env });
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/mutually exclusive|conflict/i);
    const shard = await runCli(['check', '--targets', fx.targetsFile, '--shard', '4/3'], { env: fx.env });
    expect(shard.code).toBe(2);
    expect(shard.stderr).toMatch(/--shard: "4\/3" is not K\/N/);
  }, 180_000);
});

describe('Ctrl-C', () => {
  it('starts no new target after SIGINT and still writes the report of what was checked', async () => {
    const child = spawn(
      process.execPath,
      [BIN, 'check', '--targets', fx.targetsFile, '--concurrency', '1', '--verbose', '--format', 'json'],
      { env: { ...process.env, ...fx.env } },
    );
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
      // One Ctrl-C: a second one ends the process at once, as it should.
      if (!sent && /\[1\/5\]/.test(stderr)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise((r) => child.on('close', r));
    expect(stderr).toMatch(/interrupted: [12] of 5 targets checked/);
    const report = JSON.parse(stdout);
    expect(report.targets.length).toBeLessThan(5);
    expect(report.targets[0].report.summary.error).toBe(0);
    // The shell's 128 + SIGINT: a script can tell an interrupted run from a finished one.
    expect(code).toBe(130);
  }, 120_000);
});

describe('reuse within one run', () => {
  it('one ROPC token, one app-only token per resource, one directory-reader token; each mail check one connection', async () => {
    const e = fx.emulators[1];
    e.log.clear();
    const run = await runCli(['check', '--format', 'json', '--quiet'], { env: emulatorEnv(e) });
    expect(run.code, run.stderr).toBe(0);
    const tokenPosts = e.log.entries.filter((x) => x.service === 'entra' && x.method === 'POST');
    // Grant types of the token POSTs: password once; client_credentials for Graph, Exchange and the directory reader.
    expect(tokenPosts.map((x) => x.detail).sort()).toEqual([
      'client_credentials',
      'client_credentials',
      'client_credentials',
      'password',
    ]);
    const w = requestCounts([e]);
    expect(w).toMatchObject({ discovery: 1, userRealm: 1, ropc: 1, clientCredentials: 3 });
    // A session ends with one LOGOUT/QUIT: sessions per protocol equal the checks that use it, each authenticating once.
    const count = (service: string, method: string) => e.log.count({ service: service as 'imap', method });
    expect([count('imap', 'LOGOUT'), count('imap', 'AUTHENTICATE')]).toEqual([2, 2]); // imap-login + exchange-app-access
    expect([count('pop', 'QUIT'), count('pop', 'AUTH')]).toEqual([1, 1]);
    expect([count('smtp', 'QUIT'), count('smtp', 'AUTH'), count('smtp', 'STARTTLS')]).toEqual([1, 1, 1]);
    const report = JSON.parse(run.stdout);
    expect(report.durationMs).toBeGreaterThan(0);
    expect(report.criticalPathMs).toBeLessThanOrEqual(report.durationMs + 5);
    const sum = report.checks.reduce((t: number, c: { durationMs: number }) => t + c.durationMs, 0);
    console.log(
      `single run: wall ${report.durationMs} ms, critical path ${report.criticalPathMs} ms, sum of checks ${sum} ms`,
    );
    // Independent checks overlap: the run takes far less than its checks one after another.
    expect(report.durationMs).toBeLessThan(sum);
  }, 120_000);
});

describe('start-up', () => {
  it('merge --help and check --help (with the fleet options) load no heavy module', async () => {
    const HEAVY = [
      '@azure/msal-node',
      '@microsoft/microsoft-graph-client',
      'imapflow',
      'nodemailer',
      'smtp-server',
      'node-forge',
      '/ajv/',
      '/src/emulator/',
      '/src/fleet/',
    ];
    for (const args of [
      ['merge', '--help'],
      ['check', '--help'],
    ]) {
      const trace = join(tmp(), 'modules.txt');
      writeFileSync(trace, '');
      const run = await runCli(args, {
        env: { TRACE_FILE: trace },
        nodeArgs: ['--import', new URL('../helpers/trace-imports.mjs', import.meta.url).href],
      });
      expect(run.code).toBe(0);
      if (args[0] === 'check') expect(run.stdout).toMatch(/--targets/);
      const loaded = readFileSync(trace, 'utf8').split('\n').filter(Boolean);
      for (const heavy of HEAVY)
        expect(
          loaded.filter((u) => u.includes(heavy)),
          `${args.join(' ')}: ${heavy}`,
        ).toEqual([]);
    }
  }, 60_000);
});
