// Writes a fleet report in one format, one target section at a time, to a sink (stdout or a file), so no
// format needs the whole fleet in memory. Sections reuse the single-run reporters (table, JUnit, Markdown, HTML).
import { junitReporter } from '../../reporters/junit.js';
import { tableReporter } from '../../reporters/table.js';
import type { ReporterOptions } from '../../reporters/types.js';
import { STATUSES } from '../core/check.js';
import { hasProblems, type FleetHeader, type FleetTargetEntry } from './fleet-report.js';
import { renderFleetHtml, renderFleetMarkdown } from './render-documents.js';
import { fleetSummaryLine, type Sink } from './summary-line.js';

export type { Sink } from './summary-line.js';

export const FLEET_FORMATS = ['table', 'json', 'junit', 'markdown', 'html'] as const;
export type FleetFormat = (typeof FLEET_FORMATS)[number];

export function renderFleet(
  format: FleetFormat,
  header: FleetHeader,
  entries: Iterable<FleetTargetEntry>,
  sink: Sink,
  opts: ReporterOptions = { color: false },
): void {
  if (format === 'json') renderJson(header, entries, sink);
  else if (format === 'markdown') renderFleetMarkdown(header, entries, sink);
  else if (format === 'html') renderFleetHtml(header, entries, sink);
  else if (format === 'junit') renderJunit(header, entries, sink);
  else renderTable(header, entries, sink, opts);
}

function renderJson(header: FleetHeader, entries: Iterable<FleetTargetEntry>, sink: Sink): void {
  const head = JSON.stringify({ ...header, targets: [] }, null, 2);
  sink(`${head.slice(0, head.lastIndexOf('[]'))}[`);
  let first = true;
  for (const entry of entries) {
    sink(`${first ? '' : ','}\n    ${JSON.stringify(entry, null, 2).replace(/\n/g, '\n    ')}`);
    first = false;
  }
  sink(`${first ? '' : '\n  '}]\n}\n`);
}

function renderJunit(header: FleetHeader, entries: Iterable<FleetTargetEntry>, sink: Sink): void {
  const s = header.summary;
  const tests = STATUSES.reduce((t, k) => t + s[k], 0);
  sink(
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="m365-doctor fleet" tests="${tests}" failures="${s.fail}" errors="${s.error}" skipped="${s.skip}" time="${(header.durationMs / 1000).toFixed(3)}" timestamp="${attr(header.startedAt)}">\n`,
  );
  for (const entry of entries) {
    // One testsuite per target and category: the single-run suites, renamed after their target.
    const xml = junitReporter.render(entry.report, { color: false });
    const suites = xml.slice(xml.indexOf('\n  <testsuite') + 1, xml.lastIndexOf('</testsuites>'));
    const name = attr(entry.name);
    const cls = attr(entry.name.replace(/[.\s]+/g, '_'));
    sink(
      suites
        .replace(/^ {2}<testsuite name="/gm, `  <testsuite name="${name} / `)
        .replace(/ classname="m365-doctor\./g, ` classname="m365-doctor.${cls}.`),
    );
  }
  sink('</testsuites>\n');
}

function renderTable(
  header: FleetHeader,
  entries: Iterable<FleetTargetEntry>,
  sink: Sink,
  opts: ReporterOptions,
): void {
  let shown = 0;
  for (const entry of entries) {
    // --quiet lists only the targets with problems, and only their problems.
    if (opts.problemsOnly && !hasProblems(entry.report) && entry.report.summary.warn === 0) continue;
    shown++;
    // Numbered by position in the targets file, so a shard's sections carry the file's numbers.
    sink(`\n== Target ${entry.index + 1}: ${safe(entry.name)} ==\n`);
    sink(tableReporter.render(entry.report, opts));
  }
  if (opts.problemsOnly && shown === 0) sink('No target has a problem.\n');
  sink(`\n${fleetSummaryLine(header)}\n`);
}

// Characters XML 1.0 cannot carry at all, even escaped.
const INVALID_XML = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function attr(s: string): string {
  return s
    .replace(INVALID_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

/** Control characters must not drive the terminal. */
function safe(text: string): string {
  return text.replace(/[\u0000-\u001F\u007F-\u009F]/g, '\uFFFD');
}
