// Accepted exceptions: a known failure becomes a reasoned skip until its expiry; afterwards the failure is back, with a note.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyExceptions } from '../../src/runner/exceptions.js';
import { runChecks } from '../../src/runner/run.js';
import type { CheckResult, RunReport } from '../../src/core/result.js';
import { engineOptions, testCheck, testConfig, testRedactor, TEST_SECRETS } from '../helpers/engine-fixtures.js';
import { runCli } from '../helpers/cli.js';

const failed: CheckResult = {
  id: 'smtp-login',
  title: 'SMTP AUTH',
  category: 'exchange',
  status: 'fail',
  message: 'SMTP AUTH is disabled.',
  code: 'SMTP_AUTH_DISABLED_TENANT',
  remediation: 'Set-TransportConfig -SmtpClientAuthenticationDisabled $false',
  evidence: { host: 'smtp.office365.com' },
  docsUrl: 'https://example.test/smtp-login',
  durationMs: 5,
  dependsOn: [],
};

describe('applyExceptions', () => {
  const r = testRedactor();

  it('turns a failure into skip (accepted-exception), keeping what was found in evidence', () => {
    const out = applyExceptions(
      failed,
      [{ id: 'smtp-login', reason: 'policy: SMTP AUTH stays off', expires: '2027-03-31' }],
      '2027-03-31',
      r,
    );
    expect(out).toMatchObject({ status: 'skip', skipReason: 'accepted-exception', code: 'SMTP_AUTH_DISABLED_TENANT' });
    expect(out.message).toBe(
      'Accepted exception (policy: SMTP AUTH stays off, until 2027-03-31): SMTP AUTH is disabled.',
    );
    expect(out.evidence).toEqual({
      host: 'smtp.office365.com',
      acceptedStatus: 'fail',
      acceptedCode: 'SMTP_AUTH_DISABLED_TENANT',
      exceptionReason: 'policy: SMTP AUTH stays off',
      exceptionExpires: '2027-03-31',
    });
  });

  it('stops applying the day after expiry and says so in the message', () => {
    const out = applyExceptions(
      failed,
      [{ id: 'smtp-login', reason: 'CHG-1', expires: '2027-03-31' }],
      '2027-04-01',
      r,
    );
    expect(out.status).toBe('fail');
    expect(out.skipReason).toBeUndefined();
    expect(out.message).toContain('SMTP AUTH is disabled.');
    expect(out.message).toContain('exception for this check expired on 2027-03-31: CHG-1');
    expect(out.evidence).toMatchObject({ exceptionExpired: '2027-03-31', exceptionReason: 'CHG-1' });
  });

  it('uses a live exception when an older one for the same check has expired', () => {
    const out = applyExceptions(
      failed,
      [
        { id: 'smtp-login', reason: 'old', expires: '2020-01-01' },
        { id: 'smtp-login', reason: 'renewed' },
      ],
      '2027-04-01',
      r,
    );
    expect(out).toMatchObject({ status: 'skip', evidence: { exceptionReason: 'renewed', exceptionExpires: null } });
  });

  it('leaves pass, skip and error alone, and other checks too', () => {
    const ex = [{ id: 'smtp-login', reason: 'x' }];
    for (const status of ['pass', 'error'] as const)
      expect(applyExceptions({ ...failed, status }, ex, '2027-01-01', r)).toEqual({ ...failed, status });
    expect(applyExceptions({ ...failed, id: 'imap-login' }, ex, '2027-01-01', r)).toEqual({
      ...failed,
      id: 'imap-login',
    });
  });

  it('scrubs secrets out of a reason', () => {
    const out = applyExceptions(
      failed,
      [{ id: 'smtp-login', reason: `pw is ${TEST_SECRETS.password}` }],
      '2027-01-01',
      r,
    );
    expect(JSON.stringify(out)).not.toContain(TEST_SECRETS.password);
  });
});

describe('exceptions in a run', () => {
  it('skips an accepted warning, keeps its dependants gated on the real status, and reports an expired one', async () => {
    const checks = [
      testCheck({ id: 'secret-age', outcome: { status: 'warn', code: 'MEH' } }),
      testCheck({ id: 'uses-secret', dependsOn: ['secret-age'] }),
      testCheck({ id: 'consent', outcome: { status: 'fail', code: 'BAD', data: { what: 'consent' } } }),
    ];
    const config = testConfig({
      exceptions: [
        { id: 'secret-age', reason: 'rotation planned', expires: '2026-06-30' },
        { id: 'consent', reason: 'pending CAB', expires: '2026-01-31' },
      ],
    });
    const { results } = await runChecks(engineOptions(checks, { config, today: '2026-02-01' }));
    const [age, uses, consent] = results;
    expect(age).toMatchObject({
      status: 'skip',
      skipReason: 'accepted-exception',
      evidence: { acceptedStatus: 'warn', acceptedCode: 'MEH' },
    });
    expect(uses.status).toBe('pass'); // a warning lets dependants run, accepted or not
    expect(consent.status).toBe('fail');
    expect(consent.message).toMatch(/expired on 2026-01-31: pending CAB/);
  });
});

describe('exceptions from a config file (CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'm365-doctor-exc-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const configWith = (exceptions: unknown[]) => {
    const file = join(dir, `c${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify({ exceptions }));
    return file;
  };

  it('an accepted SMTP AUTH finding is skip in the report and the run exits 0', async () => {
    const config = configWith([
      { id: 'smtp-login', reason: 'Tenant policy keeps SMTP AUTH off; sending moves to Graph', expires: '2099-12-31' },
    ]);
    const run = await runCli([
      'check',
      '--scenario',
      'smtp-auth-disabled-mailbox',
      '--config',
      config,
      '--format',
      'json',
      '--quiet',
    ]);
    const report = JSON.parse(run.stdout) as RunReport;
    const smtp = report.checks.find((c) => c.id === 'smtp-login')!;
    expect(smtp).toMatchObject({
      status: 'skip',
      skipReason: 'accepted-exception',
      code: 'SMTP_AUTH_DISABLED_MAILBOX',
    });
    expect(smtp.message).toMatch(
      /^Accepted exception \(Tenant policy keeps SMTP AUTH off; sending moves to Graph, until 2099-12-31\): /,
    );
    expect(smtp.evidence).toMatchObject({ acceptedStatus: 'fail', acceptedCode: 'SMTP_AUTH_DISABLED_MAILBOX' });
    // smtp-send depends on smtp-login, which really failed: it stays skipped as a dependency.
    expect(report.checks.find((c) => c.id === 'smtp-send')).toMatchObject({
      status: 'skip',
      skipReason: 'dependency-failed',
    });
    expect(report.summary.fail).toBe(0);
    expect(run.code).toBe(0);
  });

  it('an expired exception no longer applies: fail, exit 1, and the message says it expired', async () => {
    const config = configWith([{ id: 'smtp-login', reason: 'CHG-77', expires: '2020-01-31' }]);
    const run = await runCli([
      'check',
      '--scenario',
      'smtp-auth-disabled-mailbox',
      '--config',
      config,
      '--format',
      'json',
      '--quiet',
    ]);
    const smtp = (JSON.parse(run.stdout) as RunReport).checks.find((c) => c.id === 'smtp-login')!;
    expect(smtp.status).toBe('fail');
    expect(smtp.message).toContain('expired on 2020-01-31: CHG-77');
    expect(run.code).toBe(1);
  });

  it('a date that does not exist is a configuration error (exit 2) naming the field', async () => {
    const config = configWith([{ id: 'smtp-login', reason: 'x', expires: '2027-02-30' }]);
    const run = await runCli(['check', '--demo', '--config', config]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('exceptions[0].expires');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('the README example config validates', async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const sample = /```json\n(\{\n {2}"\$schema"[\s\S]*?)```/.exec(readme)![1];
    const parsed = JSON.parse(sample) as { exceptions: unknown[] };
    const run = await runCli([
      'check',
      '--demo',
      '--only',
      'config',
      '--config',
      configWith(parsed.exceptions),
      '--format',
      'json',
      '--quiet',
    ]);
    expect(run.code, run.stderr).toBe(0);
  });
});
