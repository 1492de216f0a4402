// Meta-test of the per-check tester: every code a check declares is the expected code of at least one case in
// test/checks/<id>.test.ts. A code no case can reach is listed in NOT_EXERCISED with the reason, and the list must stay
// exact: a code that gains a case has to leave it.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinChecks } from '../../checks/index.js';

const dir = fileURLToPath(new URL('./', import.meta.url));

/** check id -> code -> why no emulated tenant makes the check report it (candidates for dead code). */
export const NOT_EXERCISED: Record<string, Record<string, string>> = {};

/** The expected codes the cases of one check's test file name. */
function exercised(id: string): Set<string> {
  const text = readFileSync(`${dir}${id}.test.ts`, 'utf8');
  return new Set([...text.matchAll(/\bcode:\s*'([A-Z0-9_]+)'/g)].map((m) => m[1]));
}

describe('declared codes are exercised by the per-check tests', () => {
  it.each(builtinChecks.map((c) => [c.meta.id, c] as const))('%s', (id, check) => {
    const file = `${dir}${id}.test.ts`;
    expect(existsSync(file), `missing ${file}`).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain(`checkTester('${id}'`);
    const seen = exercised(id);
    const declared = Object.keys(check.meta.codes);
    const known = NOT_EXERCISED[id] ?? {};
    expect(
      declared.filter((code) => !seen.has(code) && !(code in known)),
      `codes of ${id} no case exercises`,
    ).toEqual([]);
    expect(
      Object.keys(known).filter((code) => seen.has(code)),
      `codes of ${id} now exercised: remove them from NOT_EXERCISED`,
    ).toEqual([]);
    expect(
      Object.keys(known).filter((code) => !declared.includes(code)),
      `NOT_EXERCISED names codes ${id} does not declare`,
    ).toEqual([]);
  });

  it('reports the totals', () => {
    const declared = builtinChecks.flatMap((c) => Object.keys(c.meta.codes).map((code) => `${c.meta.id}/${code}`));
    const seen = builtinChecks.flatMap((c) =>
      [...exercised(c.meta.id)].filter((code) => code in c.meta.codes).map((code) => `${c.meta.id}/${code}`),
    );
    const missing = Object.values(NOT_EXERCISED).reduce((n, m) => n + Object.keys(m).length, 0);
    expect(seen.length + missing).toBe(declared.length);
    console.info(`declared codes: ${declared.length}; exercised by a case: ${seen.length}; not reachable: ${missing}`);
  });
});
