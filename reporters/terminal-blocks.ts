// Building blocks of the terminal report: wrapped prose, one line per category, and each root cause expanded with its
// fix and the symptoms it explains. PowerShell commands get lines of their own, never wrapped or boxed, so they copy clean.
import { CATEGORIES, type Category, type Status } from '../src/core/check.js';
import type { CheckResult, RunReport } from '../src/core/result.js';
import type { RootCause } from '../src/runner/verdict.js';
import { clean, splitRemediation } from './report-text.js';
import { paint, STATUS_GLYPH } from './status-text.js';

export const CATEGORY_LABEL: Record<Category, string> = {
  config: 'Configuration',
  entra: 'Entra ID (tenant, user, app)',
  token: 'Tokens and permissions',
  graph: 'Directory (Microsoft Graph)',
  exchange: 'Exchange Online (IMAP, POP, SMTP)',
};

/** Indent of a problem's text under its title line, and of its commands. */
const BODY = 4;
const COMMAND = 6;

/** Control characters from servers must not drive the terminal (escape sequences); newlines stay. */
export function safe(text: string): string {
  // The reports' own rule (C0, DEL, C1, bidi), and a tab too: it would break the alignment of the blocks.
  return clean(text).replace(/\t/g, '\uFFFD');
}

const visible = (s: string) => [...s].length;

/**
 * Word-wraps text to `width` columns: the first line starts after `first` spaces, the rest after `rest`.
 * A word longer than a whole line is cut, so no prose line is wider than the terminal; a URL is not (it stands alone).
 * A no-break space (U+00A0) joins two words and is written as a plain space.
 * Never empty: every paragraph, even a blank one, gives at least one line.
 */
export function wrap(text: string, width: number, first = 0, rest = first): string[] {
  const out: string[] = [];
  for (const paragraph of safe(text).split('\n')) {
    let line = '';
    let indent = out.length ? rest : first;
    const push = () => {
      out.push(' '.repeat(indent) + line);
      line = '';
      indent = rest;
    };
    for (let word of paragraph.split(/[ \t]+/).filter(Boolean)) {
      for (;;) {
        const room = width - indent - (line ? visible(line) + 1 : 0);
        if (visible(word) <= room) {
          line = line ? `${line} ${word}` : word;
          break;
        }
        if (line) {
          push();
          continue;
        }
        // A URL is never cut: it gets a line of its own, as a command does, so a copy or a click gets it whole.
        // (A sentence's closing full stop is left off it: a copy would take it for part of the URL.)
        if (/^https?:\/\//i.test(word)) {
          line = word.replace(/[.,;:]$/, '');
          push();
          break;
        }
        const chars = [...word];
        line = chars.slice(0, width - indent).join('');
        word = chars.slice(width - indent).join('');
        push();
        if (!word) break;
      }
    }
    if (line || !out.length) push();
  }
  return out.map((l) => l.replace(/\u00A0/g, ' '));
}

interface CategoryCount {
  status: Status;
  words: string[];
}

/** One line per category of the run, in the usual order: its worst status and its counts, problems first. */
export function categoryLines(report: RunReport, width: number, color: boolean): string[] {
  const lines: string[] = [];
  const seen = [...new Set(report.checks.map((c) => c.category))].sort((a, b) => rank(a) - rank(b));
  for (const category of seen) {
    const { status, words } = countCategory(report.checks.filter((c) => c.category === category));
    const label = CATEGORY_LABEL[category] ?? category;
    const text = wrap(`${label}: ${words.join(', ')}`, width, 4, 8);
    text[0] = `${paint(`[${STATUS_GLYPH[status]}]`, status, color)} ${text[0]!.slice(4)}`; // wrap() is never empty
    lines.push(...text);
  }
  return lines;
}

function rank(c: string): number {
  const i = CATEGORIES.indexOf(c as Category);
  return i === -1 ? CATEGORIES.length : i;
}

function countCategory(checks: readonly CheckResult[]): CategoryCount {
  const n = (pred: (c: CheckResult) => boolean) => checks.filter(pred).length;
  const parts: [number, string][] = [
    [n((c) => c.status === 'fail'), 'failed'],
    [n((c) => c.status === 'error'), 'could not be checked'],
    [n((c) => c.status === 'warn'), 'warned'],
    [n((c) => c.status === 'pass'), 'passed'],
    [
      n(
        (c) =>
          c.status === 'skip' && !['not-applicable', 'accepted-exception'].includes(c.skipReason ?? 'not-applicable'),
      ),
      'not run',
    ],
    [n((c) => c.status === 'skip' && (c.skipReason ?? 'not-applicable') === 'not-applicable'), 'not needed'],
    [n((c) => c.status === 'skip' && c.skipReason === 'accepted-exception'), 'accepted exception'],
  ];
  const words = parts.filter(([k]) => k > 0).map(([k, w]) => `${k} ${w}`);
  const status: Status =
    (['fail', 'error', 'warn', 'pass'] as const).find((s) => checks.some((c) => c.status === s)) ?? 'skip';
  return { status, words };
}

/** A root cause: title line, message, fix (prose wrapped, commands on their own lines), then the symptoms it explains. */
export function rootCauseBlock(cause: RootCause, report: RunReport, width: number, color: boolean): string[] {
  const byId = new Map(report.checks.map((c) => [c.id, c]));
  const title = wrap(`${cause.title} (${cause.id})${cause.code ? ` [${cause.code}]` : ''}`, width, 2, BODY);
  title[0] = `${paint(STATUS_GLYPH[cause.status], cause.status, color)} ${title[0]!.slice(2)}`; // wrap() is never empty
  const out = [...title, ...wrap(cause.message, width, BODY)];
  if (cause.remediation) out.push(...fixLines(cause.remediation, width));
  if (cause.symptoms.length) {
    out.push(
      ...wrap(
        `Explains ${cause.symptoms.length === 1 ? 'this result' : `these ${cause.symptoms.length} results`} too:`,
        width,
        BODY,
      ),
    );
    for (const id of cause.symptoms) {
      const s = byId.get(id);
      if (!s) continue;
      const lines = wrap(`${s.id}: ${s.message}`, width, BODY + 2, BODY + 4);
      // wrap() is never empty.
      lines[0] = `${' '.repeat(BODY)}${paint(STATUS_GLYPH[s.status], s.status, color)} ${lines[0]!.slice(BODY + 2)}`;
      out.push(...lines);
    }
  }
  return out;
}

/** "Fix: prose", then each command alone on its line (never cut, so a copy gets it whole), then the rest of the prose. */
export function fixLines(remediation: string, width: number): string[] {
  const out: string[] = [];
  let label = 'Fix: ';
  for (const part of splitRemediation(safe(remediation))) {
    if (part.kind === 'text') out.push(...wrap(`${label}${part.text}`, width, BODY, BODY + 2));
    else {
      if (label) out.push(`${' '.repeat(BODY)}Fix, in PowerShell:`);
      for (const line of part.lines) out.push(`${' '.repeat(COMMAND)}${line.replace(/\s*\n\s*/g, ' ')}`);
    }
    label = '';
  }
  return out;
}

/** The commands of a remediation as they are printed (for tests: these lines may be wider than the terminal). */
export function commandLines(remediation: string): string[] {
  return splitRemediation(safe(remediation)).flatMap((p) =>
    p.kind === 'commands' ? p.lines.map((l) => l.replace(/\s*\n\s*/g, ' ')) : [],
  );
}
