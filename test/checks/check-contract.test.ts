// One validateCheck for every check: each built-in check passes the rules --plugin applies to plugins, plus the
// stricter ones of a built-in (its own docs page, a description, a message for each code). And each code is written
// out in its check's file, so searching for a code finds the check.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinChecks } from '../../checks/index.js';
import { DOCS_BASE, type Check } from '../../src/core/check.js';
import { validateCheck } from '../../src/core/check-validate.js';

const plugin = (meta: Partial<Check['meta']>) => ({
  meta: {
    id: 'p-x',
    title: 'X',
    category: 'config',
    dependsOn: [],
    codes: { OK: { message: 'ok' } },
    docsUrl: 'https://example.test/p-x',
    ...meta,
  },
  run: async () => ({ status: 'pass', code: 'OK' }),
});

describe('validateCheck', () => {
  it.each(builtinChecks.map((c) => [c.meta.id, c] as const))('built-in %s is a valid check', (_id, check) => {
    expect(validateCheck(check, 'builtin')).toBeUndefined();
  });

  it('accepts a plugin with its own docs page and no description', () => {
    expect(validateCheck(plugin({}), 'plugin')).toBeUndefined();
  });

  it('names what is wrong', () => {
    expect(validateCheck({ meta: {} }, 'plugin')).toMatch(/not a check/);
    expect(validateCheck(plugin({ id: 'Bad Id' }), 'plugin')).toMatch(/invalid id "Bad Id"/);
    expect(validateCheck(plugin({ category: 'mail' as never }), 'plugin')).toMatch(
      /category "mail"; use one of config, entra, token, graph, exchange/,
    );
    expect(validateCheck(plugin({ codes: {} }), 'plugin')).toMatch(/declares no codes/);
    expect(validateCheck(plugin({ consults: 'x' as never }), 'plugin')).toMatch(/needs consults: string\[\]/);
    expect(validateCheck(plugin({ entraRefusal: 'warn' as never }), 'plugin')).toMatch(
      /entraRefusal "warn"; use 'fail' or 'error'/,
    );
    expect(validateCheck(plugin({ entraRefusal: 'fail' }), 'plugin')).toBeUndefined();
  });

  it('keeps plugins out of the project docs, and built-ins in them', () => {
    expect(validateCheck(plugin({ docsUrl: `${DOCS_BASE}/p-x.md` }), 'plugin')).toMatch(/into m365-doctor's own docs/);
    expect(validateCheck(plugin({ description: 'd' }), 'builtin')).toMatch(/not its page/);
    expect(validateCheck(plugin({ docsUrl: `${DOCS_BASE}/p-x.md` }), 'builtin')).toMatch(/no description/);
    expect(
      validateCheck(
        plugin({ docsUrl: `${DOCS_BASE}/p-x.md`, description: 'd', codes: { OK: { message: '' } } }),
        'builtin',
      ),
    ).toMatch(/no message for code OK/);
  });
});

describe('codes written out', () => {
  it.each(builtinChecks.map((c) => [c.meta.id, c] as const))(
    'every code of %s appears by name in its file',
    (id, check) => {
      const source = readFileSync(new URL(`../../checks/${id}.ts`, import.meta.url), 'utf8');
      expect(Object.keys(check.meta.codes).filter((code) => !new RegExp(`\\b${code}\\b`).test(source))).toEqual([]);
    },
  );
});
