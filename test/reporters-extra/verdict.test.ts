// Root causes first and honest coverage, in every format, on real runs of the emulated tenant: no-license with its
// symptoms linked by hand (causedBy, as the consulting checks will set it) and without; checks that did not run.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandLines } from '../../reporters/terminal-blocks.js';
import { appendStepSummary } from '../../src/output/step-summary.js';
import { parseSavedReport } from '../../src/runner/saved-report.js';
import type { CheckResult, RunReport } from '../../src/core/result.js';
import { summarize } from '../../src/runner/report.js';
import { runCli } from '../helpers/cli.js';
import { junitShapeProblems } from '../helpers/junit-shape.js';
import { loadReporters } from '../helpers/reporters.js';
import { withCausedBy } from '../helpers/sample-report.js';
import { parseXml, type XmlElement } from '../helpers/xml.js';

const REPORTERS = await loadReporters();

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const SYMPTOMS = {
  'imap-login': 'user-license',
  'pop-login': 'user-license',
  'smtp-login': 'user-license',
  'exchange-app-access': 'user-license',
};
const ADMIN_CHECKS = ['app-registration', 'admin-consent', 'service-principal', 'sign-in-policy'];
const tmp = mkdtempSync(join(tmpdir(), 'm365-doctor-verdict-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function scenarioReport(name: string): Promise<RunReport> {
  const run = await runCli(['check', '--scenario', name, '--format', 'json']);
  return parseSavedReport(run.stdout, `${name}.json`);
}

/** A healthy run as it looks without --admin: the four directory checks skipped for want of a reader. */
function withoutAdmin(report: RunReport): RunReport {
  const checks: CheckResult[] = report.checks.map((c) =>
    ADMIN_CHECKS.includes(c.id)
      ? {
          ...c,
          status: 'skip',
          skipReason: 'needs-directory-reader',
          code: 'NEEDS_DIRECTORY_READER',
          remediation: undefined,
          message: 'Not checked: reading the directory needs --admin.',
        }
      : c,
  );
  return { ...report, checks, summary: summarize(checks) };
}

/** Text with its line breaks undone: where the terminal report wraps depends on the width. */
const flat = (s: string) => s.replace(/\s+/g, ' ');
const byName = (el: XmlElement, name: string) => el.children.filter((c) => c.name === name);
const cases = (root: XmlElement) => byName(root, 'testsuite').flatMap((s) => byName(s, 'testcase'));

let noLicense: RunReport;
let linked: RunReport;
let healthy: RunReport;

beforeAll(async () => {
  [noLicense, healthy] = await Promise.all([scenarioReport('no-license'), scenarioReport('healthy')]);
  linked = withCausedBy(noLicense, SYMPTOMS);
}, 60_000);

describe('root causes', () => {
  it('JSON keeps every check and lists each root cause once with the symptoms it explains', () => {
    const ajv = addFormats(new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }));
    const validate = ajv.compile(
      JSON.parse(readFileSync(new URL('../../schemas/report.schema.json', import.meta.url), 'utf8')),
    );
    const doc = JSON.parse(REPORTERS.json.render(linked, { color: false }));
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.checks).toHaveLength(20);
    expect(doc.rootCauses).toEqual([
      {
        id: 'user-license',
        status: 'fail',
        code: 'NO_EXCHANGE_LICENSE',
        message: expect.stringContaining('has no licence'),
        remediation: expect.stringContaining('Set-MgUserLicense'),
        symptoms: ['imap-login', 'pop-login', 'smtp-login', 'exchange-app-access'],
      },
    ]);
    expect(doc.checks.find((c: { id: string }) => c.id === 'imap-login').causedBy).toBe('user-license');
    // Without the links, each failure stands as its own cause: nothing is hidden.
    const unlinked = { ...noLicense, checks: noLicense.checks.map(({ causedBy: _c, ...c }) => c) };
    const plain = JSON.parse(REPORTERS.json.render(unlinked, { color: false }));
    expect(plain.rootCauses.map((r: { id: string }) => r.id)).toEqual([
      'user-license',
      'imap-login',
      'pop-login',
      'smtp-login',
      'exchange-app-access',
    ]);
    // The checks link them themselves: the run's own report has the one cause.
    expect(
      JSON.parse(REPORTERS.json.render(noLicense, { color: false })).rootCauses.map((r: { id: string }) => r.id),
    ).toEqual(['user-license']);
    // A link to a check that passed is ignored rather than trusted.
    const stray = JSON.parse(
      REPORTERS.json.render(withCausedBy(noLicense, { 'imap-login': 'config' }), { color: false }),
    );
    expect(stray.rootCauses.map((r: { id: string }) => r.id)).toContain('imap-login');
  });

  it('the table shows the cause once, its fix, its commands whole on their own lines, the symptoms under it', () => {
    for (const width of [80, 120]) {
      const out = REPORTERS.table.render(linked, { color: false, width });
      const lines = out.split('\n');
      const remediation = linked.checks.find((c) => c.id === 'user-license')!.remediation!;
      const commands = commandLines(remediation);
      expect(commands).toEqual([
        expect.stringMatching(
          /^Set-MgUserLicense -UserId \S+ -AddLicenses @\{SkuId = "[0-9a-f-]+"\} -RemoveLicenses @\(\)$/,
        ),
      ]);
      for (const command of commands) expect(lines).toContain(`      ${command}`);
      // Only a command may be wider than the terminal: prose wraps, and nothing is drawn around either.
      for (const line of lines) if ([...line].length > width) expect(commands.map((c) => `      ${c}`)).toContain(line);
      expect(lines.filter((l) => [...l].length > width)).toHaveLength(1);
      expect(out).not.toMatch(/[┌│└]/);
      expect(lines.filter((l) => /^✖ /.test(l))).toEqual([
        '✖ User has an Exchange Online licence (user-license) [NO_EXCHANGE_LICENSE]',
      ]);
      const block = out.slice(out.indexOf('✖ User has'), out.indexOf('checks not run'));
      expect(block).toMatch(
        /Explains these 4 results too:\n {4}✖ imap-login: [\s\S]*\n {4}✖ pop-login: [\s\S]*\n {4}✖ smtp-login: [\s\S]*\n {4}✖ exchange-app-access: /,
      );
      expect(lines.length).toBeLessThan(45);
    }
  });

  it('a URL too long for a line stands alone and whole; other prose fits 80 columns', async () => {
    const report = withCausedBy(await scenarioReport('no-admin-consent'), {
      'app-roles-graph': 'admin-consent',
      'app-roles-exchange': 'admin-consent',
      'ropc-token': 'admin-consent',
    });
    const lines = REPORTERS.table.render(report, { color: false, width: 80 }).split('\n');
    const wide = lines.filter((l) => [...l].length > 80);
    expect(wide.length).toBeGreaterThan(0);
    for (const line of wide) expect(line).toMatch(/^ +https:\/\/\S+\/adminconsent\?client_id=[0-9a-f-]+$/);
    expect(lines.filter((l) => /^✖ /.test(l))).toEqual([
      '✖ Admin consent is granted (admin-consent) [CONSENT_MISSING]',
    ]);
    expect(lines).toContain('5 checks not run: fix admin-consent first.');
    expect(lines.length).toBeLessThan(45);
  }, 30_000);

  it('--all leads with the root cause, then the full table where each symptom names its cause', () => {
    const out = REPORTERS.table.render(linked, { color: false, width: 80, all: true });
    expect(out.indexOf('✖ User has an Exchange')).toBeLessThan(out.indexOf('┌'));
    expect(out).toMatch(/↳ explained by user-license/);
    expect(out).not.toMatch(/│.*Set-MgUserLicense/);
    for (const line of out.split('\n').filter((l) => /^[┌│├└]/.test(l)))
      expect([...line].length).toBeLessThanOrEqual(80);
  });

  it('Markdown, HTML and the JUnit failure text lead with the root cause', () => {
    const md = REPORTERS.markdown.render(linked, { color: false });
    const fix = md.slice(md.indexOf('### How to fix'), md.indexOf('| Status | Check | Result |'));
    expect(fix.split('\n').filter((l) => l.startsWith('#### '))).toEqual([
      '#### ❌ fail: User has an Exchange Online licence (`user-license`)',
    ]);
    expect(fix).toMatch(
      /\*\*Also explains:\*\*\n\n- ❌ fail `imap-login`: .*\n- ❌ fail `pop-login`: .*\n- ❌ fail `smtp-login`: /,
    );
    expect(md).toMatch(
      /\| ❌ fail \| IMAP login with XOAUTH2<br>`imap-login` \| .*<br>↳ explained by `user-license` \|/,
    );

    const html = REPORTERS.html.render(linked, { color: false });
    const causes = html.slice(html.indexOf('<h2 id="h-problems">'), html.indexOf('<h2 id="h-summary">'));
    expect(html.indexOf('<h2 id="h-problems">')).toBeLessThan(html.indexOf('<h2 id="h-checks">'));
    expect(causes).toContain('Root causes <span class="muted">1</span>');
    expect(causes).toMatch(/<ul class="symptoms">.*imap-login.*pop-login.*smtp-login.*exchange-app-access.*<\/ul>/s);
    expect(html).toMatch(/<dt>Explained by<\/dt><dd><a href="#check-user-license">/);

    const root = parseXml(REPORTERS.junit.render(linked, { color: false }));
    expect(junitShapeProblems(root)).toEqual([]);
    const imap = cases(root).find((c) => c.attrs.name === 'imap-login')!;
    expect(byName(imap, 'failure')[0].text).toMatch(
      /^Root cause: user-license \[NO_EXCHANGE_LICENSE\]: .*has no licence.*\nFix the root cause: .*Set-MgUserLicense/,
    );
    const license = cases(root).find((c) => c.attrs.name === 'user-license')!;
    expect(byName(license, 'failure')[0].text).toMatch(
      /^Root cause of: imap-login, pop-login, smtp-login, exchange-app-access\n/,
    );
  });
});

describe('honest coverage', () => {
  const LINE = '4 checks not run: give --admin device-code or --admin-client-id';
  let partial: RunReport;
  beforeAll(() => {
    partial = withoutAdmin(healthy);
  });

  it('every format says what did not run, and how to run it, next to its verdict', () => {
    const quiet = flat(REPORTERS.table.render(partial, { color: false, problemsOnly: true }));
    expect(quiet).toContain(
      'No problems found in the checks that ran; 5 checks not run: give --admin device-code or --admin-client-id (4); give --send-test-mail (1).',
    );
    expect(quiet).not.toMatch(/No problems found\./);
    expect(REPORTERS.table.render(partial, { color: false })).toContain(
      '[✔] Directory (Microsoft Graph): 2 passed, 4 not run',
    );

    const md = REPORTERS.markdown.render(partial, { color: false });
    expect(md.split('\n')[0]).toBe('## ✅ m365-doctor: PASSED, 5 CHECKS NOT RUN');
    expect(md).toContain(
      '**Not run:** 5 checks not run: give --admin device-code or --admin-client-id (4); give --send-test-mail (1)',
    );
    expect(md).toContain(
      '- give --admin device-code or --admin-client-id: `app-registration`, `admin-consent`, `service-principal`, `sign-in-policy`',
    );
    expect(md).not.toMatch(/: PASSED\n/);

    const html = REPORTERS.html.render(partial, { color: false });
    expect(html).toContain('<span class="verdict-label">PASSED, 5 CHECKS NOT RUN</span>');
    expect(html).toContain('<p class="not-run"><strong>5 checks not run:');

    const doc = JSON.parse(REPORTERS.json.render(partial, { color: false }));
    expect(doc.notRun.count).toBe(5);
    expect(doc.notRun.groups[0]).toEqual({
      reason: 'needs-directory-reader',
      howToRun: 'give --admin device-code or --admin-client-id',
      checks: ADMIN_CHECKS,
    });

    const root = parseXml(REPORTERS.junit.render(partial, { color: false }));
    const props = byName(byName(root, 'testsuite')[0], 'properties')[0].children.map((p) => [
      p.attrs.name,
      p.attrs.value,
    ]);
    expect(props).toEqual([
      ['m365-doctor.verdict', expect.stringMatching(/^PASSED, 5 CHECKS NOT RUN: .*5 checks not run/)],
      ['m365-doctor.notRun', expect.stringContaining('give --admin device-code or --admin-client-id (4)')],
    ]);
    const skipped = byName(
      cases(root).find((c) => c.attrs.name === 'admin-consent')!,
      'skipped',
    )[0];
    expect(skipped.attrs.message).toMatch(/Not run; to run it: give --admin device-code or --admin-client-id\.$/);
  });

  it('one reason reads as the issue asks, and the GitHub step summary carries it', () => {
    const adminOnly = withoutAdmin({ ...healthy, checks: healthy.checks.filter((c) => c.id !== 'smtp-send') });
    expect(flat(REPORTERS.table.render(adminOnly, { color: false, problemsOnly: true }))).toContain(
      `No problems found in the checks that ran; ${LINE}.`,
    );
    const file = join(tmp, 'summary.md');
    writeFileSync(file, '');
    appendStepSummary(
      adminOnly,
      'fail',
      { GITHUB_STEP_SUMMARY: file },
      (s) => s,
      () => undefined,
    );
    const summary = readFileSync(file, 'utf8');
    expect(summary.split('\n')[0]).toBe('## ✅ m365-doctor: PASSED, 4 CHECKS NOT RUN');
    expect(summary).toContain(`**Not run:** ${LINE}`);
  });

  it('a check skipped behind a failure names the root cause to fix first', () => {
    const doc = JSON.parse(REPORTERS.json.render(noLicense, { color: false }));
    // smtp-send waits on smtp-login, whose refusal user-license explains.
    expect(doc.notRun.groups.map((g: { howToRun: string }) => g.howToRun)).toEqual(['fix user-license first']);
  });

  it('with --fail-on warn a warning fails the verdict and is a JUnit <failure>', () => {
    const warned: RunReport = {
      ...healthy,
      checks: healthy.checks.map((c) =>
        c.id === 'app-registration' ? { ...c, status: 'warn', code: 'SECRET_EXPIRING' } : c,
      ),
    };
    warned.summary = summarize(warned.checks);
    const strict = parseXml(REPORTERS.junit.render(warned, { color: false, failOn: 'warn' }));
    expect(strict.attrs.failures).toBe('1');
    expect(
      byName(
        cases(strict).find((c) => c.attrs.name === 'app-registration')!,
        'failure',
      )[0].attrs.message,
    ).toMatch(/^warn \(--fail-on warn\): /);
    expect(parseXml(REPORTERS.junit.render(warned, { color: false })).attrs.failures).toBe('0');
    expect(REPORTERS.markdown.render(warned, { color: false, failOn: 'warn' }).split('\n')[0]).toBe(
      '## ❌ m365-doctor: FAILED',
    );
  });
});

describe('saved version-1 reports', () => {
  it('report, fix --from and the reporters read them, with root causes and coverage derived', async () => {
    const v2 = JSON.parse(REPORTERS.json.render(linked, { color: false }));
    const { notRun: _n, rootCauses: _r, ...rest } = v2;
    const v1 = {
      ...rest,
      schemaVersion: 1,
      checks: v2.checks.map(({ causedBy: _c, ...c }: Record<string, unknown>) => c),
    };
    const file = join(tmp, 'v1.json');
    writeFileSync(file, JSON.stringify(v1));
    const shown = await runCli(['report', file, '--format', 'markdown']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('#### ❌ fail: User has an Exchange Online licence (`user-license`)');
    const again = JSON.parse((await runCli(['report', file, '--format', 'json'])).stdout);
    expect(again.schemaVersion).toBe(2);
    // A version-1 report has no links: every failure stands as its own cause.
    expect(again.rootCauses.map((r: { id: string }) => r.id)).toEqual([
      'user-license',
      'imap-login',
      'pop-login',
      'smtp-login',
      'exchange-app-access',
    ]);
    const fix = await runCli(['fix', '--script', 'powershell', '--from', file]);
    expect(fix.code).toBe(0);
    expect(fix.stdout).toContain('Set-MgUserLicense');
  }, 60_000);
});

describe('JUnit agrees with the exit code', () => {
  const SCENARIOS = [
    'healthy',
    'secret-expiring-soon',
    'no-license',
    'no-admin-consent',
    'wrong-password',
    'graph-throttled',
  ];
  for (const scenario of SCENARIOS) {
    it(`${scenario}, under --fail-on fail and warn`, async () => {
      for (const failOn of ['fail', 'warn']) {
        const junit = join(tmp, `${scenario}-${failOn}.xml`);
        const run = await runCli([
          'check',
          '--scenario',
          scenario,
          '--fail-on',
          failOn,
          '--format',
          'json',
          '--report',
          `junit:${junit}`,
        ]);
        const root = parseXml(readFileSync(junit, 'utf8'));
        const summary = JSON.parse(run.stdout).summary;
        const failures = Number(root.attrs.failures);
        const errors = Number(root.attrs.errors);
        // A run fails on a failed check (a <failure>), an errored one (an <error>), and under --fail-on warn a warning (a <failure>).
        expect(failures + errors > 0, `${scenario} --fail-on ${failOn}: exit ${run.code}`).toBe(run.code === 1);
        expect(failures).toBe(summary.fail + (failOn === 'warn' ? summary.warn : 0));
        if (summary.error === 0) expect(failures > 0).toBe(run.code === 1);
      }
    }, 60_000);
  }
});
