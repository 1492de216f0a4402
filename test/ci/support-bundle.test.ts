// The support bundle: --report json:FILE carries what support needs (version, Node, OS, cloud, endpoints, timings) and
// no secret; `m365-doctor report FILE` shows exactly what the customer saw, in every format; bad files exit 2.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSavedReport } from '../../src/runner/saved-report.js';
import type { RunReport } from '../../src/core/result.js';
import { runCli, type CliRun } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'm365-doctor-bundle-'));
const file = (name: string) => join(dir, name);
const CANARY = { clientSecret: 'cs~Canary-9f8e7d6c5b4a', password: 'Pw-Canary-1a2b3c4d!' };
const version = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
let customer: CliRun;
let bundleText: string;
let bundle: RunReport;

beforeAll(async () => {
  // The customer's run: secrets from stdin (both wrong for the emulated tenant), every report format at once.
  customer = await runCli(
    [
      'check',
      '--scenario',
      'smtp-auth-disabled-mailbox',
      '--client-secret-stdin',
      '--password-stdin',
      ...['json', 'markdown', 'junit', 'html'].map((f) => `--report=${f}:${file(`customer.${f}`)}`),
    ],
    { input: `${CANARY.clientSecret}\n${CANARY.password}\n`, env: { NO_COLOR: '1' } },
  );
  bundleText = readFileSync(file('customer.json'), 'utf8');
  bundle = JSON.parse(bundleText) as RunReport;
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--report json:FILE as a support bundle', () => {
  it('validates against the report schema and records tool, Node, OS, cloud, endpoints and timings', () => {
    expect(customer.code, customer.stderr).toBe(1);
    expect(() => loadSavedReport(file('customer.json'))).not.toThrow();
    expect(bundle.tool).toEqual({ name: 'm365-doctor', version });
    expect(bundle.environment).toEqual({
      node: process.version,
      os: process.platform,
      osRelease: release(),
      arch: process.arch,
    });
    expect(bundle.target.cloud).toBe('global');
    expect(Object.keys(bundle.target.endpoints).sort()).toEqual(['authorityHost', 'graphUrl', 'imap', 'pop', 'smtp']);
    expect(bundle.target.endpoints.imap).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(Date.parse(bundle.finishedAt) - Date.parse(bundle.startedAt)).toBe(bundle.durationMs);
    expect(bundle.criticalPathMs).toBeGreaterThan(0);
    expect(bundle.criticalPathMs).toBeLessThanOrEqual(bundle.durationMs + 1);
    expect(bundle.checks.filter((c) => c.status !== 'skip').every((c) => Number.isInteger(c.durationMs))).toBe(true);
    // The wrong secret was really used (so it was really in memory while the report was written).
    expect(bundle.checks.find((c) => c.id === 'app-credentials')?.code).toBe('AADSTS7000215');
  });

  it('holds no secret, in any report file or on any stream', () => {
    for (const text of [
      bundleText,
      customer.stdout,
      customer.stderr,
      ...['markdown', 'junit', 'html'].map((f) => readFileSync(file(`customer.${f}`), 'utf8')),
    ]) {
      for (const secret of Object.values(CANARY)) {
        expect(text).not.toContain(secret);
        expect(text).not.toContain(Buffer.from(secret).toString('base64'));
      }
    }
  });
});

describe('m365-doctor report FILE', () => {
  it('renders what the customer saw, byte for byte, in every format', async () => {
    const table = await runCli(['report', file('customer.json')], { env: { NO_COLOR: '1' } });
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toBe(customer.stdout);
    expect(table.stderr).toContain(
      `saved report: m365-doctor ${version} on Node ${process.version} (${process.platform} ${release()} ${process.arch}), global cloud`,
    );
    for (const format of ['json', 'markdown', 'junit', 'html']) {
      const run = await runCli(['report', file('customer.json'), '--format', format, '--quiet']);
      expect(run.code, `${format}: ${run.stderr}`).toBe(0);
      expect(run.stderr).toBe('');
      expect(run.stdout, format).toBe(readFileSync(file(`customer.${format}`), 'utf8'));
    }
  }, 60_000);

  it('lists only the problems with --quiet', async () => {
    const run = await runCli(['report', file('customer.json'), '--quiet'], { env: { NO_COLOR: '1' } });
    expect(run.stdout).toContain('app-credentials');
    expect(run.stdout).not.toContain('tenant-discovery');
  });

  it('rejects what is not a report with exit 2 and one clear line', async () => {
    mkdirSync(file('folder'));
    const good = JSON.parse(bundleText) as Record<string, unknown> & { checks: Record<string, unknown>[] };
    const cases: [string, string | undefined, RegExp][] = [
      ['missing.json', undefined, /report: cannot read .*missing\.json \(ENOENT\)/],
      ['folder', undefined, /folder is a folder, not a regular file/],
      ['text.json', 'hello', /report text\.json: is not valid JSON/],
      [
        'empty.json',
        '{}',
        /report empty\.json: is not an m365-doctor report: schemaVersion is missing; tool is missing; environment is missing; and \d+ more/,
      ],
      [
        'status.json',
        JSON.stringify({ ...good, checks: [{ ...good.checks[0], status: 'broken' }] }),
        /checks\[0\]\.status must be one of "pass", "warn", "fail", "skip", "error"/,
      ],
      [
        'newer.json',
        JSON.stringify({ ...good, schemaVersion: 3 }),
        /has schemaVersion 3, newer than this m365-doctor reads \(2\)/,
      ],
      ['extra.json', JSON.stringify({ ...good, password: 'x' }), /password is not a known field/],
    ];
    for (const [name, content, expected] of cases) {
      if (content !== undefined) writeFileSync(file(name), content);
      const run = await runCli(['report', file(name)]);
      expect(run.code, name).toBe(2);
      expect(run.stdout, name).toBe('');
      expect(run.stderr, name).toMatch(expected);
      expect(run.stderr.trim().split('\n'), name).toHaveLength(1);
    }
  }, 60_000);
});
