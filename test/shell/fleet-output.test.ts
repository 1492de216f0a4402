// Issue #13 item 7: a fleet run (check --targets) shows progress on stderr without a terminal too, and writes
// Markdown, HTML and the GitHub job summary from the single-run reporters, one section per target.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleetFixture, type FleetFixture } from '../../bench/fleet-fixture.js';
import type { FleetReport } from '../../src/fleet/fleet-report.js';
import { renderFleetMarkdown } from '../../src/fleet/render-documents.js';
import { runCli } from '../helpers/cli.js';

const WRONG_PASSWORD = 'Canary-Wrong-Pw-4411!';
let fx: FleetFixture;
beforeAll(async () => {
  fx = await startFleetFixture({ tenants: 2, mailboxes: 4 });
  // One target with a problem: its password file holds a wrong password.
  writeFileSync(join(fx.dir, 'secrets', 't1-user0002'), `${WRONG_PASSWORD}\n`);
});
afterAll(async () => {
  await fx?.stop();
});

describe('check --targets output', { timeout: 180_000 }, () => {
  it('progress lines, Markdown on stdout, HTML and Markdown files, and the job summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'm365-doctor-fleet-out-'));
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '');
    const run = await runCli(
      [
        'check',
        '--targets',
        fx.targetsFile,
        '--only',
        'ropc-token',
        '--format',
        'markdown',
        '--report',
        `html:${dir}/fleet.html`,
        '--report',
        `markdown:${dir}/fleet.md`,
      ],
      { env: { ...fx.env, GITHUB_STEP_SUMMARY: summary } },
    );
    expect(run.code, run.stderr).toBe(1);

    // stderr is a pipe here: one line per target, with the failures so far.
    const progress = run.stderr.split('\n').filter((l) => /^\[\d+\/4\] /.test(l));
    expect(progress).toHaveLength(4);
    expect(progress.map((l) => l.slice(0, 6))).toEqual(['[1/4] ', '[2/4] ', '[3/4] ', '[4/4] ']);
    expect(progress[3]).toMatch(/; 1 with problems so far$/);
    expect(progress.find((l) => l.includes('t1/user0002@'))).toMatch(/: problems; /);

    const markdown = run.stdout;
    expect(markdown).toMatch(/^# ❌ m365-doctor fleet: 4 targets, 1 with problems\n/);
    expect(markdown.match(/^# [✅❌] Target \d: /gm)).toHaveLength(4);
    // Each section is the single-run Markdown report.
    expect(markdown.match(/^## .* m365-doctor: /gm)).toHaveLength(4);
    expect(markdown).toMatch(/^\| ❌ \| 2 \| t1\/user0002@\S+ \| .*1 fail/m);
    expect(readFileSync(join(dir, 'fleet.md'), 'utf8')).toBe(markdown);

    const html = readFileSync(join(dir, 'fleet.html'), 'utf8');
    expect(html.match(/<!DOCTYPE html>/g)).toHaveLength(1);
    expect(html.match(/Content-Security-Policy/g)).toHaveLength(1);
    expect(html.match(/<section id="target-\d" class="target">/g)).toHaveLength(4);
    const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [, ref] of html.matchAll(/href="#([^"]+)"/g)) expect(ids).toContain(decodeURIComponent(ref));
    expect(html.trimEnd()).toMatch(/<\/script>\n<\/body>\n<\/html>$/);

    const job = readFileSync(summary, 'utf8');
    expect(job).toMatch(/^# ❌ m365-doctor fleet: 4 targets, 1 with problems\n/);
    expect(job.match(/^# [✅❌] Target \d: /gm)).toHaveLength(4);
    expect(run.stderr).toMatch(/appended the Markdown report to GITHUB_STEP_SUMMARY/);

    for (const text of [run.stdout, run.stderr, html, job]) expect(text).not.toContain(WRONG_PASSWORD);
  });

  it('--quiet prints no progress', async () => {
    const run = await runCli(
      ['check', '--targets', fx.targetsFile, '--only', 'config', '--format', 'json', '--quiet'],
      { env: fx.env },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/^\[\d+\/4\]/m);
  });

  it('the job summary keeps under its budget: later sections shrink to one line, the table lists every target', async () => {
    const run = await runCli(
      ['check', '--targets', fx.targetsFile, '--only', 'ropc-token', '--format', 'json', '--quiet'],
      { env: fx.env },
    );
    const { targets, ...header } = JSON.parse(run.stdout) as FleetReport;
    let full = '';
    renderFleetMarkdown(header, targets, (c) => {
      full += c;
    });
    let small = '';
    renderFleetMarkdown(
      header,
      targets,
      (c) => {
        small += c;
      },
      { maxChars: Math.floor(full.length / 3) },
    );
    expect(small.length).toBeLessThan(full.length / 2);
    expect(
      small.match(/Details left out to keep the job summary under its size limit/g)?.length,
    ).toBeGreaterThanOrEqual(2);
    expect(small.match(/^\| [✅❌] \| \d \| /gm)).toHaveLength(4);
    expect(small).toMatch(/target sections were shortened to one line\.\n$/);
  });
});
