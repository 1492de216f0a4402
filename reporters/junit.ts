// CI report: JUnit XML, one testsuite per category, one testcase per check, stable order.
import type { Category } from '../src/check.js';
import type { CheckResult, RunReport } from '../src/result.js';
import type { Reporter } from './types.js';

const CATEGORY_ORDER: readonly Category[] = ['config', 'entra', 'token', 'graph', 'exchange'];

export const junitReporter: Reporter = {
  name: 'junit',
  extension: 'xml',
  render(report) {
    const groups = groupByCategory(report.checks);
    const totals = counts(report.checks);
    const out = ['<?xml version="1.0" encoding="UTF-8"?>',
      `<testsuites name="m365-doctor" tests="${report.checks.length}" failures="${totals.failures}" errors="${totals.errors}" skipped="${totals.skipped}" time="${secs(report.durationMs)}" timestamp="${attr(report.startedAt)}">`];
    for (const [category, checks] of groups) {
      const c = counts(checks);
      out.push(`  <testsuite name="${attr(category)}" tests="${checks.length}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}" time="${secs(checks.reduce((t, x) => t + x.durationMs, 0))}" timestamp="${attr(report.startedAt)}">`);
      for (const check of checks) out.push(...testcase(check));
      out.push('  </testsuite>');
    }
    out.push('</testsuites>');
    return `${out.join('\n')}\n`;
  },
};

function testcase(c: CheckResult): string[] {
  const open = `    <testcase name="${attr(c.id)}" classname="m365-doctor.${attr(c.category)}" time="${secs(c.durationMs)}"`;
  const body = [`${c.title}: ${c.message}`, c.code ? `Code: ${c.code}` : '', c.remediation ? `Remediation: ${c.remediation}` : '',
    `Docs: ${c.docsUrl}`].filter(Boolean).join('\n');
  const lines = [`${open}>`];
  if (c.status === 'fail') lines.push(`      <failure message="${attr(c.message)}" type="${attr(c.code ?? 'fail')}">${text(body)}</failure>`);
  else if (c.status === 'error') lines.push(`      <error message="${attr(c.message)}" type="${attr(c.code ?? 'error')}">${text(body)}</error>`);
  else if (c.status === 'skip') lines.push(`      <skipped message="${attr(c.message)}"/>`);
  // Passes and warnings (a pass in JUnit terms) carry their message here, so a warning stays visible.
  if (c.status === 'pass' || c.status === 'warn') lines.push(`      <system-out>${text(`${c.status}: ${body}`)}</system-out>`);
  lines.push('    </testcase>');
  return lines;
}

function groupByCategory(checks: readonly CheckResult[]): [string, CheckResult[]][] {
  const map = new Map<string, CheckResult[]>();
  for (const c of checks) map.set(c.category, [...(map.get(c.category) ?? []), c]);
  const rank = (k: string) => {
    const i = CATEGORY_ORDER.indexOf(k as Category);
    return i === -1 ? CATEGORY_ORDER.length : i;
  };
  return [...map.entries()].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

function counts(checks: readonly CheckResult[]) {
  return {
    failures: checks.filter((c) => c.status === 'fail').length,
    errors: checks.filter((c) => c.status === 'error').length,
    skipped: checks.filter((c) => c.status === 'skip').length,
  };
}

function secs(ms: number): string {
  return (ms / 1000).toFixed(3);
}

// Characters XML 1.0 cannot carry at all, even escaped.
const INVALID_XML = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

// Legal in XML, but CI logs print them to terminals: C1 controls (U+009B is a CSI) and bidi controls go too.
const TERMINAL_CONTROLS = /[\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

function text(s: string): string {
  return s.replace(INVALID_XML, '\uFFFD').replace(TERMINAL_CONTROLS, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
