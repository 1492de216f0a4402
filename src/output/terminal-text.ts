// Text safe to put on a terminal line: no control characters from servers, and no wider than the screen.

// SGR sequences (colours) are ours; every other control character is replaced.
const SGR = /\u001b\[[0-9;]*m/y;

/** Control characters (escape sequences, carriage returns, newlines) cannot drive the terminal any more. */
export function singleLine(text: string): string {
  return text.replace(/[\u0000-\u001F\u007F-\u009F]/g, (c) => (c === '\n' || c === '\t' ? ' ' : '\uFFFD'));
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
