// Text safe to put on a terminal line: no control characters from servers, and no wider than the screen.

// SGR sequences (colours) are ours; every other control character is replaced.
const SGR = /\u001b\[[0-9;]*m/y;

/**
 * Bidirectional controls: they reorder what the reader sees (U+202E shows "gpj.exe" as "exe.jpg"). Treated like
 * the C0 and C1 controls wherever server text is shown.
 */
export const BIDI_CONTROLS = '\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069';
/** C0 (with DEL), C1 (U+0080-U+009F: U+009B is a one-character CSI) and the bidi controls. */
const CONTROL = new RegExp(`[\\u0000-\\u001F\\u007F-\\u009F${BIDI_CONTROLS}]`, 'g');

/** Control characters (escape sequences, carriage returns, newlines, bidi overrides) cannot drive the terminal any more. */
export function singleLine(text: string): string {
  return text.replace(CONTROL, (c) => (c === '\n' || c === '\t' ? ' ' : '\uFFFD'));
}

/** A log line: every control character shown as its \\uXXXX escape, as JSON shows C0, so the line stays one inert line. */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Cuts a line to `width` visible characters (colour codes do not count), ending in "…" when cut. */
export function fitWidth(line: string, width: number): string {
  if (width < 2) return '';
  let out = '';
  let visible = 0;
  let coloured = false;
  for (let i = 0; i < line.length;) {
    SGR.lastIndex = i;
    const sgr = SGR.exec(line);
    if (sgr) {
      out += sgr[0];
      coloured = true;
      i += sgr[0].length;
      continue;
    }
    const ch = String.fromCodePoint(line.codePointAt(i)!);
    if (visible === width - 1 && i + ch.length < line.length && hasVisibleAfter(line, i + ch.length)) {
      return `${out}…${coloured ? '\u001b[0m' : ''}`;
    }
    out += ch;
    visible++;
    i += ch.length;
  }
  return out;
}

function hasVisibleAfter(line: string, from: number): boolean {
  return line.slice(from).replace(/\u001b\[[0-9;]*m/g, '').length > 0;
}
