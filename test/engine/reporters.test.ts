// Every reporter on one real report: JSON against its schema, JUnit parsed back and shape-checked, the table as text.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { useColor } from '../../src/output/color.js';
import type { RunReport } from '../../src/core/result.js';
import { TEST_SECRETS } from '../helpers/engine-fixtures.js';
import { junitShapeProblems } from '../helpers/junit-shape.js';
import { loadReporters } from '../helpers/reporters.js';
import { sampleReport } from '../helpers/sample-report.js';
import { parseXml, type XmlElement } from '../helpers/xml.js';

const REPORTERS = await loadReporters();

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ANSI = /\u001b\[/;
let report: RunReport;

beforeAll(async () => {
  report = await sampleReport();
});

function reportValidator() {
  const schema = JSON.parse(readFileSync(new URL('../../schemas/report.schema.json', import.meta.url), 'utf8'));
  return addFormats(new Ajv({ allErrors: true, strict: true, allowUnionTypes: true })).compile(schema);
}

describe('json reporter', () => {
  it('validates against schemas/report.schema.json', () => {
    const validate = reportValidator();
    const doc = JSON.parse(REPORTERS.json.render(report, { color: false }));
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.schemaVersion).toBe(2);
    expect(doc.summary).toEqual({ pass: 1, warn: 1, fail: 1, skip: 2, error: 1 });
    expect(doc.checks.map((c: { id: string }) => c.id)).toEqual([
      'inputs',
      'app-found',
      'consent',
      'ropc',
      'graph-user',
      'imap-login',
    ]);
    const consent = doc.checks[2];
    expect(Object.keys(consent)).toEqual([
      'id',
      'title',
      'category',
      'status',
      'message',
      'code',
      'remediation',
      'causedBy',
      'evidence',
      'docsUrl',
      'durationMs',
      'dependsOn',
    ]);
    expect(doc.checks[3]).toMatchObject({
      status: 'skip',
      skipReason: 'dependency-failed',
      code: null,
      remediation: null,
      causedBy: null,
    });
    // Without causedBy every problem is its own root cause, failures first; ropc waits on consent.
    expect(doc.rootCauses.map((r: { id: string; symptoms: string[] }) => [r.id, r.symptoms])).toEqual([
      ['consent', []],
      ['graph-user', []],
      ['app-found', []],
    ]);
    expect(doc.rootCauses[0]).toMatchObject({
      status: 'fail',
      code: 'BAD',
      message: consent.message,
      remediation: consent.remediation,
    });
    expect(doc.notRun).toEqual({
      count: 1,
      line: '1 check not run: fix consent first',
      groups: [{ reason: 'dependency-failed', howToRun: 'fix consent first', checks: ['ropc'] }],
    });
    expect(doc.target).toMatchObject({
      tenant: 'contoso.onmicrosoft.com',
      endpoints: { imap: 'outlook.office365.com:993' },
    });
  });

  it('the schema rejects what breaks the contract', () => {
    const validate = reportValidator();
    const doc = JSON.parse(REPORTERS.json.render(report, { color: false }));
    const broken = structuredClone(doc);
    delete broken.checks[3].skipReason; // skip without a reason
    expect(validate(broken)).toBe(false);
    const extra = structuredClone(doc);
    extra.target.password = 'x';
    expect(validate(extra)).toBe(false);
  });
});

describe('junit reporter', () => {
  let root: XmlElement;
  beforeAll(() => {
    root = parseXml(REPORTERS.junit.render(report, { color: false }));
  });

  it('is well-formed and fits the common JUnit XSD shape', () => {
    expect(junitShapeProblems(root)).toEqual([]);
    expect(root.attrs).toMatchObject({ tests: '6', failures: '1', errors: '1', skipped: '2' });
  });

  it('has one testsuite per category in a stable order and one testcase per check', () => {
    expect(root.children.map((s) => s.name + ':' + s.attrs.name)).toEqual([
      'testsuite:config',
      'testsuite:entra',
      'testsuite:token',
      'testsuite:graph',
      'testsuite:exchange',
    ]);
    const entra = root.children[1];
    expect(entra.attrs).toMatchObject({ tests: '2', failures: '1', errors: '0', skipped: '0' });
    expect(entra.children.map((t) => t.attrs.name)).toEqual(['app-found', 'consent']);
  });

  it('maps fail to <failure>, error to <error>, skip to <skipped>, with message and remediation, escaped', () => {
    const cases = root.children.flatMap((s) => s.children);
    const find = (id: string) => cases.find((c) => c.attrs.name === id)!;
    const failure = find('consent').children.find((c) => c.name === 'failure')!;
    expect(failure.attrs.type).toBe('BAD');
    expect(failure.attrs.message).toBe('Broken: consent <IMAP> & "POP" \uFFFD.');
    expect(failure.text).toContain('Remediation: Fix consent <IMAP> & "POP"');
    const error = find('graph-user').children.find((c) => c.name === 'error')!;
    expect(error.attrs.type).toBe('AADSTS7000215');
    expect(find('ropc').children[0]).toMatchObject({ name: 'skipped' });
    expect(find('inputs').children.map((c) => c.name)).toEqual(['system-out']);
    expect(find('app-found').children[0].text).toMatch(/^warn: /);
  });
});

describe('table reporter', () => {
  it('by default: one line per category, each problem with its fix, what did not run, a summary line', () => {
    const out = REPORTERS.table.render(report, { color: false, width: 120 });
    expect(out).not.toMatch(ANSI);
    expect(out).not.toMatch(/[┌│└]/);
    expect(out).toContain('[✔] Configuration: 1 passed\n[✖] Entra ID (tenant, user, app): 1 failed, 1 warned\n');
    expect(out).toContain('[‼] Directory (Microsoft Graph): 1 could not be checked\n');
    expect(out).toContain(
      '✖ Test consent (consent) [BAD]\n    Broken: consent <IMAP> & "POP" \uFFFD.\n    Fix: Fix consent <IMAP> & "POP"',
    );
    expect(out).not.toContain('Test inputs'); // passes collapse into their category line
    expect(out).toContain('\n1 check not run: fix consent first.\n');
    expect(out).toContain('Every check in a table: --all (or --verbose).');
    expect(out).toMatch(/\n6 checks: 1 pass, 1 warn, 1 fail, 2 skip, 1 error in \d+ ms \(critical path \d+ ms\)\n/);
    expect(out).toContain('/docs/checks/<id>.md');
    expect(out).not.toContain('\u0001'); // control characters never reach the terminal
    for (const line of out.split('\n')) expect([...line].length).toBeLessThanOrEqual(120);
  });

  it('--all: the bordered table of every check after the root causes, with no command inside a box', () => {
    const out = REPORTERS.table.render(report, { color: false, width: 120, all: true });
    expect(out).toMatch(/│ Status\s+│ Check\s+│ Result/);
    for (const label of ['✔ pass', '! warn', '✖ fail', '- skip', '‼ error']) expect(out).toContain(label);
    expect(out).toContain('Skipped: depends on consent, which failed.');
    expect(out.indexOf('✖ Test consent (consent)')).toBeLessThan(out.indexOf('┌'));
    expect(out).not.toContain('→ Fix');
    for (const line of out.split('\n')) expect([...line].length).toBeLessThanOrEqual(120);
  });

  it('colours only when asked, and --quiet keeps only the problems', () => {
    expect(REPORTERS.table.render(report, { color: true })).toMatch(ANSI);
    const quiet = REPORTERS.table.render(report, { color: false, problemsOnly: true });
    expect(quiet).not.toContain('inputs');
    expect(quiet).toContain('consent');
  });
});

describe('colour decision', () => {
  it('is on only for a terminal without NO_COLOR', () => {
    expect(useColor({ isTTY: true }, {})).toBe(true);
    expect(useColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(useColor({ isTTY: true }, { NO_COLOR: '' })).toBe(true); // no-color.org: set and not empty
    expect(useColor({ isTTY: false }, {})).toBe(false);
    expect(useColor({}, {})).toBe(false);
  });
});

describe('every reporter', () => {
  it('keeps secrets out', () => {
    for (const r of Object.values(REPORTERS)) {
      const out = r.render(report, { color: true });
      expect(out).not.toContain(TEST_SECRETS.clientSecret);
      expect(out).not.toContain(TEST_SECRETS.password);
    }
  });
});
