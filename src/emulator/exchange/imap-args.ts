// Tokenizer for the IMAP command arguments the emulator understands: atoms, quoted strings, NIL and
// parenthesised lists (nested one level deep, as in STATUS items or ID parameters).

export type ImapArg = string | null | ImapArg[];

export class ImapSyntaxError extends Error {}

export function parseImapArgs(text: string): ImapArg[] {
  let pos = 0;
  const parseList = (closing: string | undefined): ImapArg[] => {
    const out: ImapArg[] = [];
    for (;;) {
      while (text[pos] === ' ') pos++;
      if (pos >= text.length) {
        if (closing) throw new ImapSyntaxError('unclosed list');
        return out;
      }
      const ch = text[pos];
      if (ch === closing) {
        pos++;
        return out;
      }
      if (ch === '(') {
        pos++;
        out.push(parseList(')'));
        continue;
      }
      if (ch === ')') throw new ImapSyntaxError('unexpected )');
      if (ch === '"') {
        out.push(parseQuoted());
        continue;
      }
      const start = pos;
      while (pos < text.length && !' ()'.includes(text[pos])) pos++;
      const atom = text.slice(start, pos);
      out.push(atom.toUpperCase() === 'NIL' ? null : atom);
    }
  };
  const parseQuoted = (): string => {
    let value = '';
    pos++;
    while (pos < text.length) {
      const ch = text[pos++];
      if (ch === '"') return value;
      if (ch === '\\') value += text[pos++] ?? '';
      else value += ch;
    }
    throw new ImapSyntaxError('unterminated string');
  };
  return parseList(undefined);
}

/** Quote a string for an IMAP answer when it is not a plain atom. */
export function quoteImap(value: string): string {
  return /^[A-Za-z0-9._\-/]+$/.test(value) ? value : `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** LIST pattern match: `*` matches anything, `%` anything but the hierarchy delimiter. */
export function matchesListPattern(name: string, pattern: string, delimiter: string): boolean {
  const escaped = pattern
    .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/%/g, `[^${delimiter === '/' ? '/' : '\\' + delimiter}]*`);
  const regex = new RegExp(`^${escaped}$`, /^inbox/i.test(pattern) ? 'i' : '');
  return regex.test(name);
}
