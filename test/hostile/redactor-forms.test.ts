// Defect 6 of the hostile world: the redactor knows every form a server builds from a secret, not only the
// forms a well-behaved client would produce.
import { describe, expect, it } from 'vitest';
import { Redactor } from '../../src/core/redact.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const b64url = (s: string) => Buffer.from(s).toString('base64url');

describe('Redactor', () => {
  const secret = 'Summer2026Secret!';
  const r = new Redactor();
  r.add(secret);

  it.each([
    ['raw', secret],
    ['base64 at offset 0', b64(secret)],
    ['base64 at offset 1', b64(`#${secret}`)],
    ['base64 at offset 2', b64(`##${secret}`)],
    ['base64 inside a longer stream', b64(`user=a@b.c\u0001pass=${secret}\u0001more bytes after it`)],
    ['base64url at offset 1', b64url(`#${secret}`)],
    ['base64url at offset 2', b64url(`~~${secret}`)],
    ['JSON-escaped twice', JSON.stringify(JSON.stringify({ p: `"${secret}"` }))],
    ['URL-encoded', encodeURIComponent(secret)],
    [
      'form-encoded, lower-case hex',
      new URLSearchParams({ password: secret })
        .toString()
        .toLowerCase()
        .replace('summer2026secret', 'Summer2026Secret'),
    ],
  ])('masks the %s form', (_name, text) => {
    const out = r.scrub(`before ${text} after`);
    // Nothing of the secret is left: at most the few edge characters that carry a neighbour's bits.
    for (const probe of [
      secret,
      b64(secret).slice(4, -4),
      b64(`#${secret}`).slice(4, -4),
      b64(`##${secret}`).slice(4, -4),
      b64url(`#${secret}`).slice(4, -4),
      b64url(`~~${secret}`).slice(4, -4),
      'Summer2026',
    ])
      expect(out).not.toContain(probe);
    expect(out).toContain('[REDACTED]');
  });

  it('masks the HTML-escaped form', () => {
    const x = new Redactor();
    x.add('Tom&Jerry<2026>');
    expect(x.scrub('<p>Tom&amp;Jerry&lt;2026&gt;</p>')).toBe('<p>[REDACTED]</p>');
  });

  it('masks secrets shorter than four characters', () => {
    const short = new Redactor();
    short.add('P1!');
    expect(short.scrub('AADSTS50126: password P1! is wrong')).toBe('AADSTS50126: password [REDACTED] is wrong');
  });

  it('masks a secret with non-ASCII characters escaped as \\uXXXX', () => {
    const x = new Redactor();
    x.add('Grüße-2026-Pw');
    expect(x.scrub('{"p":"Gr\\u00fc\\u00dfe-2026-Pw"}')).toBe('{"p":"[REDACTED]"}');
  });

  it('never breaks the JSON of a value it scrubs, whatever the secret', () => {
    for (const s of ['nde', '\\\\\\', '"x"', 'u00', 'abc\\n']) {
      const x = new Redactor();
      x.add(s);
      const value = { text: `line\nwith "${s}" and \\ and \u0001`, list: [`${s}`, 1, null], [`key-${s}`]: true };
      const out = x.scrubValue(value);
      expect(() => JSON.parse(JSON.stringify(out))).not.toThrow();
      expect(out.list[0]).toBe('[REDACTED]');
      expect(Object.keys(out)).toContain(`key-${s}`); // keys are the report's own names: never cut apart
    }
  });

  it('scrubs in one pass: the mask is never re-scrubbed, and cost does not grow with the number of secrets', () => {
    const many = new Redactor();
    for (let i = 0; i < 5000; i++) many.add(`Fleet-pw-${i}-${'x'.repeat(8)}`);
    many.add('EDA');
    many.add('x'); // one character: not a secret, not masked
    const text = `${'ordinary text '.repeat(2000)} Fleet-pw-4321-xxxxxxxx`;
    const out = many.scrub(text);
    expect(out.endsWith('[REDACTED]')).toBe(true);
    expect(out).not.toContain('Fleet-pw-4321');
    expect(many.scrub('[REDACTED]')).toBe('[R[REDACTED]CTED]');
    expect(many.scrub('index')).toBe('index');
  });
});

describe('the form index', () => {
  it('finds forms whose first characters hash alike ("Aa" and "BB" do), and nothing else', () => {
    const r = new Redactor();
    r.add('AaAa-first-secret');
    r.add('BBBB-second-secret');
    expect(r.scrub('x AaAa-first-secret y BBBB-second-secret z AaBB-first-secret')).toBe(
      'x [REDACTED] y [REDACTED] z AaBB-first-secret',
    );
  });

  it('keeps finding every value as the index grows past its first sizes', () => {
    const r = new Redactor();
    const values = Array.from({ length: 500 }, (_, i) => `Fleet-${i}-Pw!x`);
    for (const v of values) r.add(v);
    expect(r.scrub(values.join(' '))).toBe(values.map(() => '[REDACTED]').join(' '));
    expect(r.scrub('Fleet-500-Pw!x Fleet-0-Pw!')).toBe('Fleet-500-Pw!x Fleet-0-Pw!');
  });

  it('adding a value again changes nothing', () => {
    const r = new Redactor();
    r.add('Summer2026Secret');
    r.add('Summer2026Secret');
    expect(r.scrub('p=Summer2026Secret&q=U3VtbWVyMjAyNlNlY3JldA==')).toBe('p=[REDACTED]&q=[REDACTED]');
  });
});
