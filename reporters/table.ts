// Human report: Status | Check | Result, remediation under each problem, one summary line.
import Table from 'cli-table3';
import { DOCS_BASE, STATUSES } from '../src/check.js';
import type { CheckResult, RunReport } from '../src/result.js';
import { dim, paint, seconds, STATUS_LABEL } from './status-text.js';
import type { Reporter } from './types.js';

const PROBLEMS = new Set(['fail', 'error', 'warn']);

export const tableReporter: Reporter = {
  name: 'table',
  extension: 'txt',
  render(report, opts) {
    const width = Math.max(60, Math.min(opts.width ?? 100, 160));
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
    // Checks left out by --only/--skip stay in JSON/JUnit; in the table they would only bury the rest.
    const shown = report.checks.filter((c) => c.skipReason !== 'not-selected');
    const rows = opts.problemsOnly ? shown.filter((c) => PROBLEMS.has(c.status)) : shown;
    for (const c of rows) {
      table.push([paint(STATUS_LABEL[c.status], c.status, opts.color), `${safe(c.title)}\n${dim(c.id, opts.color)}`, resultCell(c)]);
    }
    const t = report.target;
    const header = [`m365-doctor ${report.tool.version}: tenant ${t.tenant || '(none)'} (${t.cloud} cloud)`,
      `app ${t.clientId || '(none)'}, user ${t.username || '(none)'}`].map(safe).join('\n');
    const body = rows.length ? table.toString() : 'No problems found.';
    const docs = report.checks.some((c) => PROBLEMS.has(c.status)) ? `\n${dim(`What each check proves and how to fix it: ${DOCS_BASE}/<check id>.md`, opts.color)}` : '';
    return `${header}\n${body}\n${summaryLine(report)}${docs}\n`;
  },
};

function resultCell(c: CheckResult): string {
  const lines = [c.code && c.status !== 'pass' ? `${c.message} [${c.code}]` : c.message];
  if (PROBLEMS.has(c.status) && c.remediation) lines.push(`→ Fix: ${c.remediation}`);
  return safe(lines.join('\n'));
}

/** Control characters from servers must not drive the terminal (escape sequences); newlines stay. */
function safe(text: string): string {
  return text.replace(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, '\uFFFD');
}

export function summaryLine(report: RunReport): string {
  const counts = STATUSES.map((s) => `${report.summary[s]} ${s}`).join(', ');
  const unselected = report.checks.filter((c) => c.skipReason === 'not-selected').length;
  return `${report.checks.length} checks: ${counts}${unselected ? ` (${unselected} not selected)` : ''} in ${
    seconds(report.durationMs)} (critical path ${seconds(report.criticalPathMs)})`;
}
