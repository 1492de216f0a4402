// Status labels readable without colour, plus their colours for a TTY.
import type { Status } from '../src/check.js';

export const STATUS_LABEL: Record<Status, string> = {
  pass: '✔ pass',
  warn: '! warn',
  fail: '✖ fail',
  skip: '- skip',
  error: '‼ error',
};

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
