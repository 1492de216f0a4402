// Ticket/PR report: GitHub-flavoured Markdown with the verdict (qualified by what did not run), the target, each root
// cause with its fix and the symptoms it explains, then the status table of every check.
// Everything from the report is escaped: a server's text must not turn into links, HTML or table columns.
import { DOCS_BASE, STATUSES } from '../src/core/check.js';
import type { CheckResult } from '../src/core/result.js';
import { causeOf, coverage, rootCauses, type RootCause } from '../src/runner/verdict.js';
import { clean, duration, isWebUrl, splitRemediation, verdictOf, type ExtraReporter } from './report-text.js';
import { STATUS_EMOJI } from './status-text.js';

export const markdownReporter: ExtraReporter = {
  name: 'markdown',
  extension: 'md',
  render(report, opts) {
    const v = verdictOf(report, opts?.failOn);
    const causes = rootCauses(report.checks);
    const cov = coverage(report.checks);
    const t = report.target;
    const out: string[] = [];
    out.push(`## ${STATUS_EMOJI[v.verdict]} m365-doctor: ${v.label}`, '', md(v.detail), '');
    out.push(
      `- **Tenant:** ${value(t.tenant)}`,
      `- **Client id:** ${t.clientId ? code(t.clientId) : '(none)'}`,
      `- **User:** ${value(t.username)}`,
      `- **Cloud:** ${value(t.cloud)}`,
      `- **Activities:** ${t.activities.length ? t.activities.map((a) => md(a)).join(', ') : '(none)'}`,
      '',
    );
    out.push(
      `**${report.checks.length} checks:** ${STATUSES.map((s) => `${STATUS_EMOJI[s]} ${report.summary[s] ?? 0} ${s}`).join(' · ')}`,
      '',
    );
    if (cov.notRun) {
      out.push(`**Not run:** ${md(cov.line)}`, '');
      for (const g of cov.groups) out.push(`- ${md(g.howToRun)}: ${g.checks.map(code).join(', ')}`);
      out.push('');
    }
    out.push(
      `<sub>m365-doctor ${md(report.tool.version)} · started ${md(report.startedAt)} · took ${duration(report.durationMs)} ` +
        `(critical path ${duration(report.criticalPathMs)})</sub>`,
      '',
    );

    if (causes.length) {
      const byId = new Map(report.checks.map((c) => [c.id, c]));
      out.push('### How to fix: root causes first', '');
      for (const r of causes)
        out.push(...fixSection(byId.get(r.id)!, r.symptoms.map((id) => byId.get(id)!).filter(Boolean)));
    }

    out.push('| Status | Check | Result |', '| --- | --- | --- |');
    for (const c of report.checks)
      out.push(`| ${statusWord(c)} | ${md(c.title)}<br>${code(c.id)} | ${resultCell(c, causes)} |`);
    out.push('');
    out.push(`<sub>What each check proves and how to fix it: [docs/checks](${link(DOCS_BASE)})</sub>`, '');
    return out.join('\n');
  },
};

function statusWord(c: CheckResult): string {
  return `${STATUS_EMOJI[c.status] ?? ''} ${md(c.status)}`.trim();
}

function resultCell(c: CheckResult, causes: readonly RootCause[]): string {
  const msg = md(c.message);
  const cell = c.code && c.status !== 'pass' ? `${msg} (${code(c.code)})` : msg;
  const cause = causeOf(c, causes);
  return cause ? `${cell}<br>↳ explained by ${code(cause.id)}` : cell;
}

function fixSection(c: CheckResult, symptoms: readonly CheckResult[]): string[] {
  const out = [`#### ${statusWord(c)}: ${md(c.title)} (${code(c.id)})`, ''];
  out.push(`**Message:** ${md(c.message)}`, '');
  if (symptoms.length) {
    out.push(`**Also explains:**`, '');
    for (const s of symptoms) out.push(`- ${statusWord(s)} ${code(s.id)}: ${md(s.message)}`);
    out.push('');
  }
  if (c.code) out.push(`**Code:** ${code(c.code)}`, '');
  if (c.remediation) {
    const parts = splitRemediation(clean(c.remediation));
    let label = '**Fix:** ';
    for (const p of parts) {
      if (p.kind === 'text') out.push(`${label}${blockStart(md(p.text))}`, '');
      else {
        if (label) out.push(label.trim(), '');
        out.push(...fenced(p.lines.join('\n'), 'powershell'), '');
      }
      label = '';
    }
  }
  out.push(isWebUrl(c.docsUrl) ? `📖 [Docs: ${md(c.id)}](${link(c.docsUrl)})` : `📖 Docs: ${md(c.docsUrl)}`, '');
  const keys = Object.keys(c.evidence ?? {});
  if (keys.length) {
    out.push(`<details><summary>Evidence (${keys.length})</summary>`, '');
    out.push(...fenced(clean(JSON.stringify(c.evidence, null, 2)), 'json'), '', '</details>', '');
  }
  return out;
}

/** Inline text: Markdown and HTML punctuation escaped, newlines as <br> so table cells and list items stay one line. */
export function md(text: string): string {
  return clean(text)
    .replace(/[\\`*_[\]<>|~]/g, (ch) => `\\${ch}`)
    .replace(/&(?=#?\w+;)/g, '&amp;')
    .replace(/\n/g, '<br>');
}

function value(text: string): string {
  return text ? md(text) : '(none)';
}

/** A text at the start of a line must not open a heading, list, quote or thematic break. */
function blockStart(text: string): string {
  return text.replace(/^(\d+)([.)])/, '$1\\$2').replace(/^([#+=-])/, '\\$1');
}

/** A code span that its own backticks cannot close; pipes escaped for tables. */
export function code(text: string): string {
  const t = clean(text).replace(/\n/g, ' ');
  const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((r) => r.length));
  const tick = '`'.repeat(longest + 1);
  const pad = /^`|`$/.test(t) || /^ .* $/.test(t) ? ' ' : '';
  return `${tick}${pad}${t}${pad}${tick}`.replace(/\|/g, '\\|');
}

function fenced(text: string, lang: string): string[] {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}${lang}`, ...text.split('\n'), fence];
}

function link(url: string): string {
  return url.replace(/\(/g, '%28').replace(/\)/g, '%29');
}
