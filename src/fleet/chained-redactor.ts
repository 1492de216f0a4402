// A redactor for one fleet target: its own secrets and tokens, plus everything its group's redactor knows.
// Targets never share a redactor, so scrubbing stays as fast for the 1,000th target as for the first.
// Its own values are matched as plain substrings: a regular expression built from a handful of
// kilobyte-long tokens costs more to compile than a target's whole scrubbing, and it would be rebuilt
// each time a target receives a token.
import { Redactor } from '../redact.js';

const MASK = '[REDACTED]';

export class ChainedRedactor extends Redactor {
  /** Longest first, so a value inside a longer one cannot leave part of the longer one visible. */
  #values: string[] = [];

  constructor(private readonly parent: Redactor) { super(); }

  /** The same forms Redactor.add registers: raw, base64, base64url, URL-encoded and JSON-escaped. */
  override add(value: string | undefined): void {
    if (!value || value.length < 4) return;
    const forms = [value, Buffer.from(value).toString('base64'), Buffer.from(value).toString('base64url'),
      encodeURIComponent(value), JSON.stringify(value).slice(1, -1)];
    for (const v of forms) if (!this.#values.includes(v)) this.#values.push(v);
    this.#values.sort((a, b) => b.length - a.length);
  }

  override scrub(text: string): string {
    if (!text) return text;
    let out = text;
    for (const v of this.#values) if (out.includes(v)) out = out.split(v).join(MASK);
    // The parent masks its own values and every token-shaped string (JWT, XOAUTH2, refresh token).
    return this.parent.scrub(out);
  }
}
