// Canary secrets: unmistakable values put where the real secrets go, and a scanner that finds them
// (or any token or XOAUTH2 string) in whatever the process wrote, in every encoding a leak could take.
import { randomBytes } from 'node:crypto';

const SECRET_KEYS = new Set(['clientSecret', 'password', 'adminClientSecret', 'secretText']);

/** An alphanumeric core survives any escaping (JSON, XML, HTML, URL), so finding it finds every form. */
function canaryFor(kind: string, n: number): string {
  const core = `CANARY${kind}${n}x${randomBytes(4).toString('hex')}`;
  // Characters that encoders treat differently, around the core.
  return kind === 'pw' ? `Pw ${core}&<"'>+/%=` : `Cq7~${core}.s3cr3t_-`;
}

export interface Canarized<T> {
  value: T;
  canaries: string[];
}

/** Deep copy of `model` with every secret value replaced by a canary; equal secrets get the same canary. */
export function canarize<T>(model: T): Canarized<T> {
  const map = new Map<string, string>();
  const replace = (key: string, value: string) => {
    let c = map.get(value);
    if (!c) {
      c = canaryFor(key === 'password' ? 'pw' : 'sec', map.size);
      map.set(value, c);
    }
    return c;
  };
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (!v || typeof v !== 'object') return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v))
      out[k] = SECRET_KEYS.has(k) && typeof x === 'string' && x ? replace(k, x) : walk(x);
    // A credential's hint is the first three characters of its secret, as Graph shows it.
    if (typeof out.secretText === 'string' && typeof out.hint === 'string') out.hint = out.secretText.slice(0, 3);
    return out;
  };
  return { value: walk(model) as T, canaries: [...map.values()] };
}

/** Adds canaries for values given on top of a canarized model (a wrong password typed on the command line). */
export function extraCanary(kind: 'pw' | 'sec'): string {
  return canaryFor(kind, 90 + Math.floor(Math.random() * 9));
}

/** Base64 of `s` as it appears inside any longer base64 stream: the middle that does not depend on alignment. */
function base64Cores(s: string, url: boolean): string[] {
  return [0, 1, 2].map((pad) => {
    const b = Buffer.from(`${'\0'.repeat(pad)}${s}`)
      .toString(url ? 'base64url' : 'base64')
      .replace(/=+$/, '');
    return b.slice(4, -4);
  });
}

/** Every form of a canary that must never be written: plain, its core, base64/base64url (any alignment), URL-encoded. */
export function forbiddenForms(canary: string): string[] {
  const core = /CANARY\w+/.exec(canary)![0];
  return [
    ...new Set([
      canary,
      core,
      encodeURIComponent(canary),
      new URLSearchParams({ v: canary }).toString().slice(2),
      ...base64Cores(canary, false),
      ...base64Cores(canary, true),
    ]),
  ];
}

/** Shapes of credentials that must never appear, whatever their value. */
export const CREDENTIAL_SHAPES: readonly [string, RegExp][] = [
  ['JWT', /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}/],
  ['JWT header', /eyJ0eXAi|eyJhbGci|eyJraWQi/],
  ['XOAUTH2 (base64 "user=")', /dXNlcj[A-Za-z0-9+/]{8,}/],
  ['XOAUTH2 (decoded)', /auth=Bearer\s+(?!\[REDACTED\])\S{8,}/i],
  ['Bearer token', /Bearer\s+eyJ/],
  ['refresh token', /\b[01]\.A[A-Za-z0-9_-]{30,}/],
];

export interface Leak {
  where: string;
  what: string;
  sample: string;
}

/** Finds every forbidden form and credential shape in `text`; `where` names the output for the report. */
export function scanForLeaks(where: string, text: string, canaries: readonly string[]): Leak[] {
  const leaks: Leak[] = [];
  const around = (i: number, len: number) => JSON.stringify(text.slice(Math.max(0, i - 30), i + len + 30));
  for (const canary of canaries) {
    for (const form of forbiddenForms(canary)) {
      const i = text.indexOf(form);
      if (i >= 0) leaks.push({ where, what: `canary form ${JSON.stringify(form)}`, sample: around(i, form.length) });
    }
  }
  for (const [name, shape] of CREDENTIAL_SHAPES) {
    const m = shape.exec(text);
    if (m) leaks.push({ where, what: name, sample: around(m.index, m[0].length) });
  }
  return leaks;
}
