// End to end through the built CLI against the emulated tenant: the demo passes, a scenario fails as it should.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const schema = JSON.parse(readFileSync(new URL('../../schemas/report.schema.json', import.meta.url), 'utf8'));

const emulatorBuilt = existsSync(new URL('../../dist/src/emulator/index.js', import.meta.url));
if (!emulatorBuilt) console.warn('demo.test: dist/src/emulator/index.js is missing, so the --demo tests are skipped');

describe.skipIf(!emulatorBuilt)('check --demo', () => {
  it('prints the table for the healthy demo tenant and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'm365-doctor-demo-'));
    const run = await runCli(['check', '--demo', '--report', `json:${dir}/r.json`]);
    expect(run.stderr).not.toMatch(/internal error/);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^\[✔\] Exchange Online \(IMAP, POP, SMTP\): 4 passed, 1 not run, 1 not needed$/m);
    // Honest coverage: the test mail was not sent, and the report says how to send it.
    expect(run.stdout).toContain('No problems found in the checks that ran; 1 check not run: give --send-test-mail.');
    const report = JSON.parse(readFileSync(`${dir}/r.json`, 'utf8'));
    // The built-in checks' real results (ids, codes, evidence) fit the public schema too.
    const validate = addFormats(new Ajv({ allowUnionTypes: true })).compile(schema);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.summary.fail + report.summary.error).toBe(0);
    expect(report.summary.pass).toBeGreaterThan(10);
    expect(report.target.endpoints.authorityHost).toMatch(/^https:\/\/(127\.0\.0\.1|localhost)/);
    // The demo's secrets are secrets too.
    const secrets = [/"clientSecret"/, /"password"/];
    for (const s of secrets) expect(readFileSync(`${dir}/r.json`, 'utf8')).not.toMatch(s);
  }, 120_000);

  it('finds the problem of a scenario and exits 1', async () => {
    const run = await runCli(['check', '--scenario', 'wrong-password', '--format', 'json']);
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout);
    const validate = addFormats(new Ajv({ allowUnionTypes: true })).compile(schema);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    const ropc = report.checks.find((c: { id: string }) => c.id === 'ropc-token');
    expect(ropc).toMatchObject({ status: 'fail', code: 'AADSTS50126' });
  }, 120_000);

  it('lets flags override the demo values', async () => {
    const run = await runCli(['check', '--demo', '--activities', 'read-imap', '--format', 'json', '--only', 'config']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).target.activities).toEqual(['read-imap']);
  }, 120_000);
});
