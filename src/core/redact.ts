// The one place that knows every secret of the run and scrubs it from anything written out.
import { secretForms } from './secret-forms.js';

const MASK = '[REDACTED]';
// A compact JWS: three base64url segments, the first being a JSON header ("eyJ").
const JWT_SHAPE = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g;
// base64 of "user=" opens every XOAUTH2 initial response.
const XOAUTH2_SHAPE = /dXNlcj[A-Za-z0-9+/]{16,}={0,2}/g;
// Long opaque refresh-token-like strings from Entra start with "0." or "1." followed by base64url.
const REFRESH_SHAPE = /\b[01]\.A[A-Za-z0-9_-]{40,}/g;
/** Forms at least this long are found through an index on their first KEY characters; shorter ones by search. */
const KEY = 4;
const MIN_SECRET = 3;

export class Redactor {
  #forms = new Set<string>();
  /** Values add() was given: each value's forms are worked out once (a fleet registers the same token many times). */
  #added = new Set<string>();
  /**
   * Hash of the first KEY characters of the forms at least KEY long -> the lengths of those forms, longest first.
   * A number, not the KEY-character string, so the scan allocates nothing per position; a hash shared by two keys
   * only adds lengths to try, each checked against #forms.
   */
  #lengthsByKey = new Map<number, number[]>();
  /** Lengths of the forms shorter than KEY (secrets of 1-3 characters), longest first. */
  #shortLengths: number[] = [];

  /**
   * Register a secret value. Every form a server or a library could echo it in is scrubbed too: URL, form, JSON
   * (once and twice) and HTML encodings, and base64/base64url at each of the three byte alignments.
   */
  add(value: string | undefined): void {
    // One or two characters cannot be a real secret (Entra's are far longer), and masking them would cut report
    // words apart; three (the shortest a test tenant uses) and more are masked.
    if (!value || value.length < MIN_SECRET || this.#added.has(value)) return;
    this.#added.add(value);
    for (const form of secretForms(value)) {
      if (this.#forms.has(form)) continue;
      this.#forms.add(form);
      if (form.length < KEY) {
        insertLength(this.#shortLengths, form.length);
        continue;
      }
      const key = keyAt(form, 0);
      const lengths = this.#lengthsByKey.get(key);
      if (lengths) insertLength(lengths, form.length);
      else this.#lengthsByKey.set(key, [form.length]);
    }
  }

  scrub(text: string): string {
    if (!text) return text;
    return this.scrubKnown(scrubTokenShapes(text));
  }

  /**
   * Masks the registered values only, in one left-to-right pass over the text: its cost grows with the text, not
   * with the number of secrets, so a fleet redactor that knows every target's password is as fast as a single run's.
   * A mask is never scanned again.
   */
  protected scrubKnown(text: string): string {
    if (this.#forms.size === 0 || !text) return text;
    let out = '';
    let copied = 0;
    let i = 0;
    while (i < text.length) {
      const found = this.#matchAt(text, i);
      if (found) {
        out += text.slice(copied, i) + MASK;
        i += found;
        copied = i;
      } else i++;
    }
    return copied === 0 ? text : out + text.slice(copied);
  }

  /** Length of the longest registered form starting at i, or 0. */
  #matchAt(text: string, i: number): number {
    if (i + KEY <= text.length) {
      const lengths = this.#lengthsByKey.get(keyAt(text, i));
      if (lengths) for (const n of lengths) if (i + n <= text.length && this.#forms.has(text.slice(i, i + n))) return n;
    }
    for (const n of this.#shortLengths) if (this.#forms.has(text.slice(i, i + n))) return n;
    return 0;
  }

  /** Deep-scrub every string value of a JSON-able value (keys are the report's own names, never server text). */
  scrubValue<T>(value: T): T {
    return scrubDeep(value, (s) => this.scrub(s)) as T;
  }
}

export function scrubTokenShapes(text: string): string {
  return text.replace(JWT_SHAPE, MASK).replace(XOAUTH2_SHAPE, MASK).replace(REFRESH_SHAPE, MASK);
}

/** A hash of the KEY characters at i (KEY is 4). */
function keyAt(text: string, i: number): number {
  return (
    (((text.charCodeAt(i) * 31 + text.charCodeAt(i + 1)) * 31 + text.charCodeAt(i + 2)) * 31 + text.charCodeAt(i + 3)) |
    0
  );
}

/** Keeps a small list of lengths unique and longest first. */
function insertLength(lengths: number[], n: number): void {
  if (lengths.includes(n)) return;
  lengths.push(n);
  lengths.sort((a, b) => b - a);
}

/** Walks a JSON-able value string by string, so a mask can never break the JSON text around it. */
function scrubDeep(value: unknown, scrub: (s: string) => string): unknown {
  if (typeof value === 'string') return scrub(value);
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : scrubDeep(v, scrub)));
  if (value && typeof value === 'object') {
    const plain =
      typeof (value as { toJSON?: unknown }).toJSON === 'function' ? (value as { toJSON(): unknown }).toJSON() : value;
    if (plain !== value) return scrubDeep(plain, scrub);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || typeof v === 'function') continue;
      // defineProperty: a key named __proto__ stays an own key, as JSON.parse would make it.
      Object.defineProperty(out, k, {
        value: scrubDeep(v, scrub),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}
