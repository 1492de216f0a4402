// Where a JSON text stops being JSON, and what should have come there. JSON.parse's own message quotes the
// text around the mistake ("...assword": Summer2026"...), which for a config file means its secrets; this
// scanner says only the line, the column and what was expected.

export interface JsonSyntaxProblem {
  line: number;
  column: number;
  expected: string;
}

const VALUE = 'a value (string, number, object, array, true, false or null)';
const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

class Stop {
  constructor(
    readonly at: number,
    readonly expected: string,
  ) {}
}

/** The first syntax mistake of `text` (RFC 8259), or undefined when JSON.parse would accept it. */
export function jsonSyntaxProblem(text: string): JsonSyntaxProblem | undefined {
  let i = 0;
  const fail = (expected: string, at = i): never => {
    throw new Stop(at, expected);
  };
  const skipWs = () => {
    while (i < text.length && WS.has(text.charCodeAt(i))) i++;
  };
  const literal = (word: string) => {
    if (text.slice(i, i + word.length) !== word) fail(`"${word}"`);
    i += word.length;
  };
  const string = () => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail('a closing double quote (the string does not end)');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail('no control character inside a string (write it as an escape such as \\n)');
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('four hex digits after \\u', i + 2);
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else fail('an escape: one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX', i + 1);
      } else i++;
    }
  };
  const digits = (what: string) => {
    const start = i;
    while (i < text.length && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
    if (i === start) fail(what);
  };
  const number = () => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else digits('a digit');
    if (text[i] === '.') {
      i++;
      digits('a digit after the decimal point');
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      digits('a digit in the exponent');
    }
  };
  // Iterative (an explicit stack of open containers), so deep nesting cannot overflow the call stack.
  const open: Array<'{' | '['> = [];
  const value = () => {
    skipWs();
    const c = text[i];
    if (c === '{') {
      i++;
      skipWs();
      if (text[i] === '}') {
        i++;
        return false;
      }
      open.push('{');
      member();
      return true;
    }
    if (c === '[') {
      i++;
      skipWs();
      if (text[i] === ']') {
        i++;
        return false;
      }
      open.push('[');
      return 'element';
    }
    if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) number();
    else fail(VALUE);
    return false;
  };
  const member = () => {
    skipWs();
    if (text[i] !== '"') fail('a property name in double quotes');
    string();
    skipWs();
    if (text[i] !== ':') fail('":" after the property name');
    i++;
  };
  try {
    if (text.charCodeAt(0) === 0xfeff) fail(VALUE + ' (the file starts with a byte order mark)');
    let next = value();
    for (;;) {
      // `next`: true = a member's value is due, 'element' = an array element is due, false = a value just ended.
      if (next === true || next === 'element') {
        next = value();
        continue;
      }
      const top = open[open.length - 1];
      if (!top) break;
      skipWs();
      const close = top === '{' ? '}' : ']';
      if (text[i] === ',') {
        i++;
        if (top === '{') {
          member();
          next = true;
        } else next = 'element';
      } else if (text[i] === close) {
        i++;
        open.pop();
      } else fail(`"," or "${close}"`);
    }
    skipWs();
    if (i < text.length) fail('the end of the file (there is more after the JSON value)');
    return undefined;
  } catch (err) {
    if (!(err instanceof Stop)) throw err;
    return { ...lineAndColumn(text, err.at), expected: err.expected };
  }
}

/** 1-based line and column (in characters) of a UTF-16 offset. */
function lineAndColumn(text: string, at: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < at && k < text.length; k++) {
    if (text.charCodeAt(k) === 0x0a) {
      line++;
      lineStart = k + 1;
    }
  }
  const column = [...text.slice(lineStart, Math.min(at, text.length))].length + 1;
  return { line, column };
}

/**
 * JSON.parse, with a mistake described by position only: "line 3, column 14: expected ...".
 * Throws `onError(description)`; the text never appears in it.
 */
export function parseJsonText(text: string, onError: (description: string) => Error): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const problem = jsonSyntaxProblem(text);
    throw onError(
      problem
        ? `is not valid JSON: line ${problem.line}, column ${problem.column}: expected ${problem.expected}`
        : 'is not valid JSON',
    );
  }
}

/** A key as a message names it: plain when it reads as a name, else its JSON spelling (blank, spaces, quotes, controls). */
export function jsonKeyName(key: string): string {
  if (/^[A-Za-z0-9_$][\w$-]*$/.test(key)) return key;
  const quoted = JSON.stringify(key);
  return quoted.length > 60 ? `${quoted.slice(0, 59)}…"` : quoted;
}
