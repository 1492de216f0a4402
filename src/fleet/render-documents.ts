// Fleet reports for people: Markdown (tickets, the GitHub job summary) and one self-contained HTML file. Each
// target's section is the single-run reporter's own output; the fleet adds the totals and a table of targets.
import { htmlReporter } from '../../reporters/html.js';
import { markdownReporter, md } from '../../reporters/markdown.js';
import { STATUS_EMOJI } from '../../reporters/status-text.js';
import { STATUSES } from '../core/check.js';
import { hasProblems, type FleetHeader, type FleetTargetEntry } from './fleet-report.js';
import { fleetSummaryLine, type Sink } from './summary-line.js';

interface Row {
  index: number;
  name: string;
  problems: boolean;
  counts: string;
  anchor: string;
}

const row = (e: FleetTargetEntry): Row => ({
  index: e.index,
  name: e.name,
  problems: hasProblems(e.report),
  anchor: `target-${e.index + 1}`,
  counts: STATUSES.map((s) => `${e.report.summary[s] ?? 0} ${s}`).join(', '),
});
const mark = (r: Pick<Row, 'problems'>) => (r.problems ? STATUS_EMOJI.fail : STATUS_EMOJI.pass);
const fleetTitle = (h: FleetHeader) =>
  `${h.targetSummary.total} targets, ${h.targetSummary.withProblems} with problems`;

export interface MarkdownLimit {
  /** Characters after which target sections shrink to one line (GitHub's job summary takes at most 1 MiB). */
  maxChars: number;
}

export function renderFleetMarkdown(
  header: FleetHeader,
  entries: Iterable<FleetTargetEntry>,
  sink: Sink,
  limit?: MarkdownLimit,
): void {
  let written = 0;
  const out = (s: string) => {
    written += s.length;
    sink(s);
  };
  out(
    `# ${header.targetSummary.withProblems ? STATUS_EMOJI.fail : STATUS_EMOJI.pass} m365-doctor fleet: ${fleetTitle(header)}\n\n${md(fleetSummaryLine(header))}\n\n`,
  );
  const rows: Row[] = [];
  let shortened = 0;
  for (const entry of entries) {
    const r = row(entry);
    rows.push(r);
    const title = `# ${mark(r)} Target ${r.index + 1}: ${md(r.name)}\n\n`;
    const body = markdownReporter.render(entry.report, { color: false });
    if (limit && written + title.length + body.length > limit.maxChars) {
      shortened++;
      out(
        `${title}${r.counts}. Details left out to keep the job summary under its size limit: see the report files.\n\n`,
      );
      continue;
    }
    out(`${title}${body}\n`);
  }
  out('# Targets\n\n| | # | Target | Checks |\n| --- | --- | --- | --- |\n');
  for (const r of rows) out(`| ${mark(r)} | ${r.index + 1} | ${md(r.name)} | ${r.counts} |\n`);
  if (shortened) out(`\n${shortened} target section${shortened === 1 ? ' was' : 's were'} shortened to one line.\n`);
}

/** Ids, fragment links and SVG references of one target's HTML get the target's prefix, so sections never collide. */
function prefixIds(html: string, prefix: string): string {
  return html
    .replace(/ (id|aria-labelledby)="([^"]*)"/g, (_, attr: string, id: string) => ` ${attr}="${prefix}${id}"`)
    .replace(/href="#([^"]*)"/g, (_, id: string) => `href="#${prefix}${id}"`)
    .replace(/url\(#([^)]*)\)/g, (_, id: string) => `url(#${prefix}${id})`);
}

const escHtml = (s: string) =>
  s
    .replace(/[\u0000-\u001F\u007F-\u009F]/g, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

export function renderFleetHtml(header: FleetHeader, entries: Iterable<FleetTargetEntry>, sink: Sink): void {
  const rows: Row[] = [];
  let tail = '</body>\n</html>\n';
  let opened = false;
  const open = (head: string) => {
    sink(
      `${head.replace(/<title>[^<]*<\/title>/, `<title>${escHtml(`m365-doctor fleet: ${fleetTitle(header)}`)}</title>`)}` +
        `<body class="fleet">\n<main>\n<header class="top"><h1>m365-doctor fleet: ${escHtml(fleetTitle(header))}</h1>` +
        `<p>${escHtml(fleetSummaryLine(header))}</p><p><a href="#targets">All targets</a></p></header>\n`,
    );
    opened = true;
  };
  for (const entry of entries) {
    const r = row(entry);
    rows.push(r);
    const doc = htmlReporter.render(entry.report, { color: false });
    // The single-run document: head (style, CSP with the script's hash), then <main>…</main>, then the script.
    const mainStart = doc.indexOf('<main>\n');
    const mainEnd = doc.lastIndexOf('\n</main>');
    if (!opened) {
      open(doc.slice(0, doc.indexOf('<body')));
      tail = `</main>\n${doc.slice(mainEnd + '\n</main>\n'.length)}`;
    }
    sink(`<section id="${r.anchor}" class="target"><h1>${mark(r)} Target ${r.index + 1}: ${escHtml(r.name)}</h1>\n`);
    sink(prefixIds(doc.slice(mainStart + '<main>\n'.length, mainEnd), `t${r.index + 1}-`));
    sink('\n</section>\n');
  }
  if (!opened) {
    open('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title></title>\n</head>\n');
    tail = '</main>\n</body>\n</html>\n';
  }
  sink(
    '<section id="targets"><h2>Targets</h2><table><thead><tr><th></th><th>#</th><th>Target</th><th>Checks</th></tr></thead><tbody>',
  );
  for (const r of rows) {
    sink(
      `<tr><td>${mark(r)}</td><td>${r.index + 1}</td><td><a href="#${r.anchor}">${escHtml(r.name)}</a></td><td>${escHtml(r.counts)}</td></tr>`,
    );
  }
  sink('</tbody></table></section>\n');
  sink(tail);
}
