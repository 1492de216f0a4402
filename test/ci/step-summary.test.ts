// GITHUB_STEP_SUMMARY: `check` appends the Markdown report of its run to the file GitHub Actions names.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stepSummaryFile } from '../../src/output/step-summary.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'm365-doctor-summary-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('GITHUB_STEP_SUMMARY', () => {
  it('gets the Markdown report of the run appended, after what earlier steps wrote', async () => {
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '## earlier step\n');
    const run = await runCli(
      ['check', '--scenario', 'no-mailbox-permission', '--format', 'json', '--report', `markdown:${join(dir, 'r.md')}`],
      { env: { GITHUB_STEP_SUMMARY: summary } },
    );
    expect(run.code, run.stderr).toBe(1);
    const text = readFileSync(summary, 'utf8');
    expect(text).toBe(`## earlier step\n${readFileSync(join(dir, 'r.md'), 'utf8')}\n`);
    expect(text).toContain('### How to fix');
    expect(text).toContain('`NO_MAILBOX_PERMISSION`');
    expect(run.stderr).toContain(`appended the Markdown report to GITHUB_STEP_SUMMARY (${summary})`);
    JSON.parse(run.stdout); // stdout keeps the chosen format
  });

  it('is left alone when unset, or turned off with M365_DOCTOR_STEP_SUMMARY=false', async () => {
    const off = join(dir, 'off.md');
    const run = await runCli(['check', '--demo', '--only', 'config', '--quiet'], {
      env: { GITHUB_STEP_SUMMARY: off, M365_DOCTOR_STEP_SUMMARY: 'false' },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(off)).toBe(false);
    expect(stepSummaryFile({})).toBeUndefined();
    expect(stepSummaryFile({ GITHUB_STEP_SUMMARY: '  ' })).toBeUndefined();
    expect(stepSummaryFile({ GITHUB_STEP_SUMMARY: '/x', M365_DOCTOR_STEP_SUMMARY: '0' })).toBeUndefined();
    expect(stepSummaryFile({ GITHUB_STEP_SUMMARY: '/x', M365_DOCTOR_STEP_SUMMARY: 'true' })).toBe('/x');
  });

  it('that cannot be written is a warning; the exit code stays the one of the findings', async () => {
    const run = await runCli(['check', '--demo', '--only', 'config', '--quiet'], { env: { GITHUB_STEP_SUMMARY: dir } });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/warning: cannot append to GITHUB_STEP_SUMMARY \(EISDIR\)/);
  });

  it('is not written by fix, whose stdout is a script', async () => {
    const summary = join(dir, 'fix.md');
    const run = await runCli(['fix', '--script', 'powershell', '--demo', '--quiet'], {
      env: { GITHUB_STEP_SUMMARY: summary },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(summary)).toBe(false);
  });
});
