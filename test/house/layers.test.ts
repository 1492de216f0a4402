// The layer rule of the README's Development section: a module imports only from its own layer or a lower one.
// Type-only imports of the two contract files (config and client types) are allowed from anywhere, since the check
// contract in src/core speaks of them.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Lowest first. A folder not listed is outside the rule (bench/, scripts/, test/). */
export const LAYERS: readonly (readonly string[])[] = [
  ['src/core'],
  ['src/m365', 'src/config'],
  [
    'src/net',
    'src/auth',
    'src/graph',
    'src/mail',
    'src/clients',
    'src/emulator',
    'src/diagnose',
    'src/runner',
    'src/output',
    'src/support',
    'reporters',
  ],
  ['checks'],
  ['src/fleet'],
  ['src/cli', 'bin'],
];
const CONTRACTS = new Set(['src/config/types.ts', 'src/clients/types.ts']);

function layerOf(file: string): number | undefined {
  const i = LAYERS.findIndex((folders) => folders.some((f) => file === f || file.startsWith(`${f}/`)));
  return i < 0 ? undefined : i;
}

export interface Import {
  from: string;
  to: string;
  typeOnly: boolean;
}

/** Relative imports of one module (static, dynamic and re-exports), resolved to repository paths. */
export function importsOf(file: string, text: string): Import[] {
  const out: Import[] = [];
  const pattern = /\b(import|export)(\s+type)?\s[^'"`;]*?\bfrom\s+'(\.[^']+)'|\bimport\(\s*'(\.[^']+)'\s*\)/g;
  for (const m of text.matchAll(pattern)) {
    const spec = m[3] ?? m[4];
    const to = normalize(join(dirname(file), spec)).replace(/\.js$/, '.ts');
    out.push({ from: file, to, typeOnly: Boolean(m[2]) });
  }
  return out;
}

/** The imports that point from a lower layer up to a higher one. */
export function upwardImports(imports: readonly Import[]): Import[] {
  return imports.filter((i) => {
    const from = layerOf(i.from);
    const to = layerOf(i.to);
    if (from === undefined || to === undefined || to <= from) return false;
    return !(i.typeOnly && CONTRACTS.has(i.to));
  });
}

function sourceFiles(): string[] {
  return execFileSync('git', ['ls-files', '-co', '--exclude-standard', 'src', 'checks', 'reporters', 'bin'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((f) => /\.(ts|js)$/.test(f));
}

describe('layers', () => {
  it('no module imports from a higher layer', () => {
    const all = sourceFiles().flatMap((f) => importsOf(f, readFileSync(join(ROOT, f), 'utf8')));
    expect(all.length).toBeGreaterThan(300);
    expect(upwardImports(all).map((i) => `${i.from} -> ${i.to}`)).toEqual([]);
  });

  it('every source folder has a layer', () => {
    const folders = new Set(
      sourceFiles().map((f) => (f.startsWith('src/') ? f.split('/').slice(0, 2).join('/') : f.split('/')[0])),
    );
    expect([...folders].filter((f) => !f.endsWith('.ts') && layerOf(`${f}/x.ts`) === undefined)).toEqual([]);
  });

  it('finds a planted upward import, and a dynamic one', () => {
    const planted = [
      ...importsOf('src/core/result.ts', "import { runCheck } from '../cli/check-command.js';"),
      ...importsOf('checks/imap-login.ts', "const m = await import('../src/fleet/run-fleet.js');"),
      ...importsOf('src/runner/run.ts', "export { x } from '../../checks/index.js';"),
    ];
    expect(upwardImports(planted).map((i) => i.to)).toEqual([
      'src/cli/check-command.ts',
      'src/fleet/run-fleet.ts',
      'checks/index.ts',
    ]);
  });

  it('allows a type-only import of a contract, and nothing else type-only upward', () => {
    const imports = [
      ...importsOf('src/core/check.ts', "import type { Clients } from '../clients/types.js';"),
      ...importsOf('src/core/check.ts', "import type { RunReport } from '../runner/report.js';"),
    ];
    expect(upwardImports(imports).map((i) => i.to)).toEqual(['src/runner/report.ts']);
  });
});
