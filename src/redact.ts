// The one place that knows every secret of the run and scrubs it from anything written out.
const MASK = '[REDACTED]';
// A compact JWS: three base64url segments, the first being a JSON header ("eyJ").
const JWT_SHAPE = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g;
// base64 of "user=" opens every XOAUTH2 initial response.
const XOAUTH2_SHAPE = /dXNlcj[A-Za-z0-9+/]{16,}={0,2}/g;
// Long opaque refresh-token-like strings from Entra start with "0." or "1." followed by base64url.
const REFRESH_SHAPE = /\b[01]\.A[A-Za-z0-9_-]{40,}/g;

export class Redactor {
  #values = new Set<string>();
  /** Longest first, so a value is masked whole before any shorter value inside it. */
  #sorted: string[] | undefined;

  /** Register a secret value; its base64 and URL-encoded forms are scrubbed too. */
  add(value: string | undefined): void {
    if (!value || value.length < 4) return;
    for (const v of [value, Buffer.from(value).toString('base64'), Buffer.from(value).toString('base64url'),
      urlEncoded(value), JSON.stringify(value).slice(1, -1)]) {
      if (!this.#values.has(v)) { this.#values.add(v); this.#sorted = undefined; }
    }
  }

  scrub(text: string): string {
    if (!text) return text;
    let out = text.replace(JWT_SHAPE, MASK).replace(XOAUTH2_SHAPE, MASK).replace(REFRESH_SHAPE, MASK);
    // Plain string search, not one alternation regex: a long secret (a pasted file) would exceed the regex size limit.
    this.#sorted ??= [...this.#values].sort((a, b) => b.length - a.length);
    for (const v of this.#sorted) if (out.includes(v)) out = out.split(v).join(MASK);
    return out;
  }

  /** Deep-scrub every string of a JSON-able value. */
  scrubValue<T>(value: T): T {
    return JSON.parse(this.scrub(JSON.stringify(value))) as T;
  }
}

/** encodeURIComponent throws on a lone surrogate (possible in a JSON config file); such a value has no URL form. */
function urlEncoded(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return value;
  }
}

