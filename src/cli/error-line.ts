// The one line a usage or configuration error is reported in: whatever a value held (line breaks, terminal
// escapes, a pasted file), the reason stays one readable line.
import type { ConfigError } from '../core/errors.js';

const MAX_CHARS = 400;
/** The fix is the tool's own text (e.g. every valid scenario name): never cut short, only bounded. */
const MAX_FIX_CHARS = 4000;

export function errorLine(message: string, scrub: (s: string) => string = (s) => s, max = MAX_CHARS): string {
  // Scrubbed before it is cut: a cut-off secret would no longer match the redactor.
  const flat = scrub(message)
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .replace(
      /[\u0000-\u0008\u000b-\u001f\u007f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** A ConfigError's line: the part that may quote the input is cut at 400 characters, the fix is kept whole. */
export function configErrorLine(err: ConfigError, scrub: (s: string) => string = (s) => s): string {
  return `${errorLine(`${err.field}: ${err.problem}`, scrub)}. ${errorLine(err.fix, scrub, MAX_FIX_CHARS)}`;
}
