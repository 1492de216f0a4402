// Each status's marks, in one table for every reporter, plus their colours for a TTY.
import type { Status } from '../src/core/check.js';

/** The glyph (terminal and HTML: the status never depends on colour alone) and the emoji (Markdown). */
const STATUS_MARKS: Record<Status, { glyph: string; emoji: string }> = {
  pass: { glyph: '✔', emoji: '✅' },
  warn: { glyph: '!', emoji: '⚠️' },
  fail: { glyph: '✖', emoji: '❌' },
  skip: { glyph: '-', emoji: '⏭️' },
  error: { glyph: '‼', emoji: '💥' },
};

const byStatus = (mark: (status: Status) => string) =>
  Object.fromEntries((Object.keys(STATUS_MARKS) as Status[]).map((s) => [s, mark(s)])) as Record<Status, string>;

export const STATUS_GLYPH = byStatus((s) => STATUS_MARKS[s].glyph);
export const STATUS_EMOJI = byStatus((s) => STATUS_MARKS[s].emoji);
/** e.g. "✖ fail": readable without colour. */
export const STATUS_LABEL = byStatus((s) => `${STATUS_MARKS[s].glyph} ${s}`);

// ANSI SGR codes: green, yellow, red, grey, magenta.
const STATUS_COLOR: Record<Status, number> = { pass: 32, warn: 33, fail: 31, skip: 90, error: 35 };

export function paint(text: string, status: Status, color: boolean): string {
  return color ? `\u001b[${STATUS_COLOR[status]}m${text}\u001b[39m` : text;
}

export function dim(text: string, color: boolean): string {
  return color ? `\u001b[2m${text}\u001b[22m` : text;
}

export function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
