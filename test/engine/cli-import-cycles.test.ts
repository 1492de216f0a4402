// No import cycle may run through src/cli: a command module (cli/commands/X.ts) loads its handler (cli/X-command.ts)
// by dynamic import() and the handler never imports the command module back, not even for a type. Static, dynamic
// and type-only imports all count, since each is an edge a reader has to follow.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Relative imports of each file (static, `import type`, `export ... from` and `import()`), resolved to files. */
function importGraph(sources: Map<string, string>): Map<string, string[]> {
  return new Map(
    [...sources].map(([file, text]) => [
      file,
      ts
        .preProcessFile(text, true, true)
        .importedFiles.map((i) => i.fileName)
        .filter((spec) => spec.startsWith('.'))
        .map((spec) => resolve(dirname(file), spec.replace(/\.js$/, '.ts')))
        .filter((target) => sources.has(target)),
    ]),
  );
}

/** The strongly connected components with more than one file (or a file importing itself): Tarjan's algorithm. */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>(),
    low = new Map<string, number>(),
    stack: string[] = [],
    onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v)!.includes(v)) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('import cycles through src/cli', () => {
  it('finds a cycle closed by a type-only import against a dynamic one', () => {
    const planted = new Map([
      [
        '/p/cli/commands/x.ts',
        "import type { A } from '../x-options.js';\nexport const h = async () => (await import('../x-command.js')).run;",
      ],
      [
        '/p/cli/x-command.ts',
        "import type { XArgs } from './commands/x.js';\nexport function run(a: XArgs) { return a; }",
      ],
      ['/p/cli/x-options.ts', 'export interface A { a: string }'],
    ]);
    expect(cycles(importGraph(planted))).toEqual([['/p/cli/commands/x.ts', '/p/cli/x-command.ts']]);
  });

  it('src/cli takes part in no cycle (static, dynamic or type imports)', () => {
    const files = ['src', 'checks', 'reporters'].flatMap((d) => tsFiles(resolve(root, d)));
    const graph = importGraph(new Map(files.map((f) => [f, readFileSync(f, 'utf8')])));
    expect(graph.get(resolve(root, 'src/cli/commands/fix.ts'))).toContain(resolve(root, 'src/cli/fix-command.ts'));
    const cli = resolve(root, 'src/cli');
    const throughCli = cycles(graph)
      .filter((c) => c.some((f) => f.startsWith(cli + '/')))
      .map((c) => c.map((f) => relative(root, f)));
    expect(throughCli).toEqual([]);
  });
});
