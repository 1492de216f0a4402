// The one line a usage or configuration error is reported in: whatever a value held (line breaks, terminal
// escapes, a pasted file), the reason stays one readable line.
const MAX_CHARS = 400;

export function errorLine(message: string, scrub: (s: string) => string = (s) => s): string {
  // Scrubbed before it is cut: a cut-off secret would no longer match the redactor.
  const flat = scrub(message)
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return flat.length > MAX_CHARS ? `${flat.slice(0, MAX_CHARS)}…` : flat;
}
