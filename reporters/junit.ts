// CI report: JUnit XML, one testsuite per category, one testcase per check, stable order. It agrees with the exit code:
// with --fail-on warn a warning is a <failure>. A symptom's failure text leads with its root cause and that fix; a check
// that did not run says how to run it; the first suite's properties hold the verdict and what was not run.
import { CATEGORIES, type Category } from '../src/core/check.js';
import type { CheckResult } from '../src/core/result.js';
import type { FailOn } from '../src/runner/exit-code.js';
import { causeOf, coverage, rootCauses, type Coverage, type RootCause } from '../src/runner/verdict.js';
import { BIDI_CONTROLS } from '../src/output/terminal-text.js';
import { verdictOf } from './report-text.js';
import type { Reporter } from './types.js';

interface Context {
  failOn: FailOn;
  causes: RootCause[];
  cov: Coverage;
}

export const junitReporter: Reporter = {
  name: 'junit',
  extension: 'xml',
  render(report, opts) {
    const ctx: Context = {
      failOn: opts.failOn ?? 'fail',
      causes: rootCauses(report.checks),
      cov: coverage(report.checks),
    };
    const groups = groupByCategory(report.checks);
    const totals = counts(report.checks, ctx.failOn);
    const v = verdictOf(report, ctx.failOn);
    const out = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      `<testsuites name="m365-doctor" tests="${report.checks.length}" failures="${totals.failures}" errors="${totals.errors}" skipped="${totals.skipped}" time="${secs(report.durationMs)}" timestamp="${attr(report.startedAt)}">`,
    ];
    for (const [i, [category, checks]] of groups.entries()) {
      const c = counts(checks, ctx.failOn);
      out.push(
        `  <testsuite name="${attr(category)}" tests="${checks.length}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}" time="${secs(checks.reduce((t, x) => t + x.durationMs, 0))}" timestamp="${attr(report.startedAt)}">`,
      );
      if (i === 0) {
        out.push(
          '    <properties>',
          `      <property name="m365-doctor.verdict" value="${attr(`${v.label}: ${v.detail}`)}"/>`,
        );
        if (ctx.cov.notRun) out.push(`      <property name="m365-doctor.notRun" value="${attr(ctx.cov.line)}"/>`);
        out.push('    </properties>');
      }
      for (const check of checks) out.push(...testcase(check, ctx));
      out.push('  </testsuite>');
    }
    out.push('</testsuites>');
    return `${out.join('\n')}\n`;
  },
};

function testcase(c: CheckResult, ctx: Context): string[] {
  const open = `    <testcase name="${attr(c.id)}" classname="m365-doctor.${attr(c.category)}" time="${secs(c.durationMs)}"`;
  const body = failureText(c, ctx);
  const lines = [`${open}>`];
  if (isFailure(c, ctx.failOn)) {
    const message = c.status === 'warn' ? `warn (--fail-on warn): ${c.message}` : c.message;
    lines.push(`      <failure message="${attr(message)}" type="${attr(c.code ?? c.status)}">${text(body)}</failure>`);
  } else if (c.status === 'error')
    lines.push(`      <error message="${attr(c.message)}" type="${attr(c.code ?? 'error')}">${text(body)}</error>`);
  else if (c.status === 'skip') lines.push(`      <skipped message="${attr(skipMessage(c, ctx.cov))}"/>`);
  // Passes and warnings that do not fail the run carry their message here, so a warning stays visible.
  if (c.status === 'pass' || (c.status === 'warn' && !isFailure(c, ctx.failOn)))
    lines.push(`      <system-out>${text(`${c.status}: ${body}`)}</system-out>`);
  lines.push('    </testcase>');
  return lines;
}

function isFailure(c: CheckResult, failOn: FailOn): boolean {
  return c.status === 'fail' || (c.status === 'warn' && failOn === 'warn');
}

/** A symptom leads with its root cause and that cause's fix; a root cause names the results it explains. */
function failureText(c: CheckResult, ctx: Context): string {
  const own = [
    `${c.title}: ${c.message}`,
    c.code ? `Code: ${c.code}` : '',
    c.remediation ? `Remediation: ${c.remediation}` : '',
    `Docs: ${c.docsUrl}`,
  ]
    .filter(Boolean)
    .join('\n');
  const cause = causeOf(c, ctx.causes);
  if (cause) {
    return [
      `Root cause: ${cause.id}${cause.code ? ` [${cause.code}]` : ''}: ${cause.message}`,
      cause.remediation ? `Fix the root cause: ${cause.remediation}` : '',
      '',
      own,
    ]
      .filter((l, i) => l || i === 2)
      .join('\n');
  }
  const explains = ctx.causes.find((r) => r.id === c.id)?.symptoms ?? [];
  return explains.length ? `Root cause of: ${explains.join(', ')}\n${own}` : own;
}

function skipMessage(c: CheckResult, cov: Coverage): string {
  const group = cov.groups.find((g) => g.checks.includes(c.id));
  return group ? `${c.message} Not run; to run it: ${group.howToRun}.` : c.message;
}

function groupByCategory(checks: readonly CheckResult[]): [string, CheckResult[]][] {
  const map = new Map<string, CheckResult[]>();
  for (const c of checks) map.set(c.category, [...(map.get(c.category) ?? []), c]);
  const rank = (k: string) => {
    const i = CATEGORIES.indexOf(k as Category);
    return i === -1 ? CATEGORIES.length : i;
  };
  return [...map.entries()].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

function counts(checks: readonly CheckResult[], failOn: FailOn) {
  return {
    failures: checks.filter((c) => isFailure(c, failOn)).length,
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
const TERMINAL_CONTROLS = new RegExp(`[\\u007F-\\u009F${BIDI_CONTROLS}]`, 'g');

function text(s: string): string {
  return s
    .replace(INVALID_XML, '\uFFFD')
    .replace(TERMINAL_CONTROLS, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

function attr(s: string): string {
  return text(s)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}
