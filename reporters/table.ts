// Human report. Default, as `flutter doctor`: one line per category with its status, then each root cause with its fix
// and the symptoms it explains, passes collapsed. --all (or --verbose) adds the bordered Status | Check | Result table of
// every check; commands stay outside it. --quiet: the problems only. Ends with what did not run and the counts.
import Table from 'cli-table3';
import { DOCS_BASE, STATUSES } from '../src/core/check.js';
import type { CheckResult, RunReport } from '../src/core/result.js';
import { causeOf, coverage, rootCauses, type RootCause } from '../src/runner/verdict.js';
import { categoryLines, rootCauseBlock, safe, wrap } from './terminal-blocks.js';
import { dim, paint, seconds, STATUS_LABEL } from './status-text.js';
import type { Reporter, ReporterOptions } from './types.js';

export const tableReporter: Reporter = {
  name: 'table',
  extension: 'txt',
  render(report, opts) {
    const width = Math.max(60, Math.min(opts.width ?? 100, 160));
    const causes = rootCauses(report.checks);
    const cov = coverage(report.checks);
    const t = report.target;
    const sections: string[][] = [
      [
        ...wrap(
          `m365-doctor ${report.tool.version}: tenant ${t.tenant || '(none)'} (${t.cloud} cloud${t.profile ? `, ${t.profile} profile` : ''})`,
          width,
          0,
          2,
        ),
        ...wrap(`app ${t.clientId || '(none)'}, user ${t.username || '(none)'}`, width, 0, 2),
      ],
    ];
    if (!opts.problemsOnly && !opts.all) sections.push(categoryLines(report, width, opts.color));
    for (const cause of causes) sections.push(rootCauseBlock(cause, report, width, opts.color));
    if (opts.all && !opts.problemsOnly) sections.push([fullTable(report, causes, width, opts)]);
    // What did not run is said next to the verdict, never left for the JSON alone.
    if (!causes.length)
      sections.push(
        wrap(cov.notRun ? `No problems found in the checks that ran; ${cov.line}.` : 'No problems found.', width),
      );
    else if (cov.notRun) sections.push(wrap(`${cov.line.charAt(0).toUpperCase()}${cov.line.slice(1)}.`, width));
    // "242 ms" stays on one line when the summary wraps.
    const footer = wrap(summaryLine(report).replace(/(\d) (m?s\b)/g, '$1\u00A0$2'), width);
    if (causes.length)
      footer.push(
        dim('What each check proves and how to fix it:', opts.color),
        dim(`  ${DOCS_BASE}/<id>.md`, opts.color),
      );
    if (!opts.all && !opts.problemsOnly) footer.push(dim('Every check in a table: --all (or --verbose).', opts.color));
    sections.push(footer);
    return `${sections.map((lines) => lines.join('\n')).join('\n\n')}\n`;
  },
};

/** Every check but those left out by --only/--skip (they would bury the rest); a symptom's cell names its cause. */
function fullTable(report: RunReport, causes: readonly RootCause[], width: number, opts: ReporterOptions): string {
  const statusWidth = 10;
  const checkWidth = Math.min(32, Math.floor(width * 0.28));
  const table = new Table({
    head: ['Status', 'Check', 'Result'],
    colWidths: [statusWidth, checkWidth, width - statusWidth - checkWidth - 4],
    wordWrap: true,
    wrapOnWordBoundary: true,
    // cli-table3 colours head and border by default; colour is ours to decide.
    style: { head: opts.color ? ['bold'] : [], border: [], compact: false },
  });
  for (const c of report.checks.filter((x) => x.skipReason !== 'not-selected')) {
    table.push([
      paint(STATUS_LABEL[c.status], c.status, opts.color),
      `${safe(c.title)}\n${dim(c.id, opts.color)}`,
      resultCell(c, causes),
    ]);
  }
  return table.toString();
}

function resultCell(c: CheckResult, causes: readonly RootCause[]): string {
  const lines = [c.code && c.status !== 'pass' ? `${c.message} [${c.code}]` : c.message];
  const cause = causeOf(c, causes);
  if (cause) lines.push(`↳ explained by ${cause.id} (its fix is above)`);
  else if (causes.some((r) => r.id === c.id) && c.remediation) lines.push('↳ root cause: its fix is above');
  return safe(lines.join('\n'));
}

export function summaryLine(report: RunReport): string {
  const counts = STATUSES.map((s) => `${report.summary[s]} ${s}`).join(', ');
  const unselected = report.checks.filter((c) => c.skipReason === 'not-selected').length;
  return `${report.checks.length} checks: ${counts}${unselected ? ` (${unselected} not selected)` : ''} in ${seconds(
    report.durationMs,
  )} (critical path ${seconds(report.criticalPathMs)})`;
}
