// Every code the code base can put in a report is explained by `explain` and documented: check codes in
// docs/checks/<id>.md (docs.test.ts), all others and AADSTS numbers in docs/codes.md. The codes are found by scanning
// the sources, so a new NetError code, runner code, Graph code or emulated Entra answer without an explanation fails here.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinChecks } from '../../checks/index.js';
import { knownAadstsCodes } from '../../src/m365/aadsts.js';
import { GENERAL_CODES } from '../../src/runner/code-catalog.js';
import { editDistance, explainCode, suggestCodes } from '../../src/cli/explain-command.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (rel: string) => readFileSync(join(root, rel), 'utf8');
function sources(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const rel = `${dir}/${name}`;
    return statSync(join(root, rel)).isDirectory() ? sources(rel) : rel.endsWith('.ts') ? [rel] : [];
  });
}
const matches = (text: string, re: RegExp) => [...text.matchAll(re)].map((m) => m[1]);

const product = sources('src').filter((f) => !f.startsWith('src/emulator/'));
const emulator = sources('src/emulator');
const all = (files: string[]) => files.map(read).join('\n');

/** Codes the network layer, the runner, Entra, Graph and the checks can report, found in the sources. */
function reachable(): Record<string, string[]> {
  const errors = read('src/core/errors.ts');
  const union = errors.slice(errors.indexOf('export type NetErrorCode'), errors.indexOf('/** Transport-level failure'));
  const productText = all(product);
  return {
    network: [...new Set([...matches(union, /'([A-Z_]+)'/g), ...matches(productText, /new NetError\('([A-Z_]+)'/g)])],
    runner: [...new Set(matches(read('src/runner/execute.ts'), /errorResult\([^;]*?'([A-Z_]+)'/g))],
    // OAuth error classes: what the emulated Entra answers and what the auth layer makes up itself.
    entra: [
      ...new Set([
        ...matches(all(emulator.filter((f) => f.includes('entra'))), /\berror: '([a-z_]+)'/g),
        ...matches(all(sources('src/auth')), /\berror: '([a-z_]+)'/g),
        ...matches(all(sources('src/auth')), /errorCode \|\| '([a-z_]+)'/g),
      ]),
    ],
    graph: [
      ...new Set([
        ...matches(all(emulator.filter((f) => f.includes('graph'))), /GraphFailure\(\d+, '([A-Za-z_]+)'/g),
        ...matches(productText, /'(UnknownError)'/g),
      ]),
    ],
    aadsts: [...new Set(matches(read('src/emulator/entra-errors.ts'), /^\s+(\d{5,}): \{/gm))].map((n) => `AADSTS${n}`),
    checks: [...new Set(builtinChecks.flatMap((c) => Object.keys(c.meta.codes)))],
  };
}

describe('every reachable code is explained and documented', () => {
  const codes = reachable();
  const docs = read('docs/codes.md');

  it('finds codes of every origin in the sources', () => {
    expect(codes.network).toEqual(
      expect.arrayContaining(['TIMEOUT', 'DNS_NOT_FOUND', 'THROTTLED', 'TLS_UNTRUSTED', 'CONNECTION_CLOSED']),
    );
    expect(codes.runner).toEqual(
      expect.arrayContaining(['TIMEOUT', 'INTERRUPTED', 'UNDECLARED_CODE', 'INVALID_OUTCOME']),
    );
    expect(codes.entra).toEqual(expect.arrayContaining(['invalid_grant', 'no_token', 'unknown_error']));
    expect(codes.graph).toEqual(expect.arrayContaining(['Authorization_RequestDenied', 'UnknownError']));
    expect(codes.aadsts.length).toBeGreaterThan(20);
  });

  it.each(Object.entries(codes))('%s codes', (origin, list) => {
    const unexplained = list.filter((code) => explainCode(code) === undefined);
    expect(unexplained, `${origin} codes explain does not know`).toEqual([]);
    if (origin === 'checks') return; // docs.test.ts: each check's page names its codes
    const undocumented = list.filter((code) => !docs.includes(`\`${code}\``));
    expect(undocumented, `${origin} codes missing from docs/codes.md`).toEqual([]);
  });

  it('has a specific entry, not the generic lookup, for every AADSTS number the emulated Entra answers', () => {
    const known = new Set(knownAadstsCodes().map((n) => `AADSTS${n}`));
    expect(codes.aadsts.filter((c) => !known.has(c))).toEqual([]);
  });

  it('documents every catalog code and every AADSTS number in the table', () => {
    for (const code of Object.keys(GENERAL_CODES)) expect(docs, code).toContain(`\`${code}\``);
    for (const n of knownAadstsCodes()) expect(docs, `AADSTS${n}`).toContain(`\`AADSTS${n}\``);
  });

  it('cites learn.microsoft.com for documented Microsoft texts', () => {
    for (const code of ['THROTTLED', 'Authorization_RequestDenied', '5.7.3', '5.7.60', '5.1.8', 'invalid_grant']) {
      expect(GENERAL_CODES[code].reference, code).toMatch(/^https:\/\/learn\.microsoft\.com\//);
    }
    expect(explainCode('AADSTS50126')).toContain(
      'https://learn.microsoft.com/entra/identity-platform/reference-error-codes',
    );
  });
});

describe('explain', () => {
  it('explains the network and runner codes with the fix', () => {
    expect(explainCode('TIMEOUT')).toMatch(/firewall.*TCP \{port\} to \{host\}/s);
    expect(explainCode('TIMEOUT')).toContain('does not use a proxy');
    expect(explainCode('dns_not_found')).toContain('nslookup {host}');
    expect(explainCode('THROTTLED')).toContain('https://learn.microsoft.com/graph/throttling');
  });

  it('explains a code several checks declare once per check', () => {
    const text = explainCode('AUTH_REJECTED')!;
    for (const id of ['imap-login', 'pop-login', 'smtp-login']) expect(text).toContain(`In check ${id}`);
  });

  it('explains AADSTS90033 as a transient Entra outage: retry later, nothing to configure', () => {
    const text = explainCode('AADSTS90033')!;
    expect(text).toContain('AADSTS90033 (MsodsServiceUnavailable)');
    expect(text).toMatch(/transient outage/);
    expect(text).toMatch(/nothing about the tenant's configuration/);
    expect(text).toMatch(/Fix: +Nothing to change.*re-run in a few minutes/);
  });

  it("answers an AADSTS number outside its table with Microsoft's lookup", () => {
    expect(explainCode('AADSTS9999999')).toContain('https://login.microsoftonline.com/error?code=9999999');
  });

  it('suggests near matches for an unknown code', () => {
    expect(explainCode('SMTP_AUTH_DISABLED')).toBeUndefined();
    expect(suggestCodes('SMTP_AUTH_DISABLED').slice(0, 2).sort()).toEqual([
      'SMTP_AUTH_DISABLED_MAILBOX',
      'SMTP_AUTH_DISABLED_TENANT',
    ]);
    expect(suggestCodes('TIMOUT')).toContain('TIMEOUT');
    expect(suggestCodes('USER_GUEST')).toContain('USER_IS_GUEST');
    expect(suggestCodes('XYZZY_PLUGH_FROBNICATE')).toEqual([]);
  });

  it('measures edit distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
