// `m365-doctor --version` must not load MSAL, the Graph SDK or nodemailer: nothing reachable from
// createClients may import them statically (type-only imports are erased and allowed).
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const HEAVY = ['@azure/msal-node', '@microsoft/microsoft-graph-client', 'nodemailer'];
const STATIC_IMPORT = /^\s*import\s+(?!type\b)(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/gm;

function staticGraph(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const text = readFileSync(file, 'utf8');
    const specs = [...text.matchAll(STATIC_IMPORT)].map((m) => m[1]);
    seen.set(file, specs);
    for (const s of specs) if (s.startsWith('.')) visit(resolve(dirname(file), s.replace(/\.js$/, '.ts')));
  };
  visit(entry);
  return seen;
}

describe('lazy loading of heavy libraries', () => {
  it('createClients reaches MSAL, the Graph SDK and nodemailer only through dynamic import()', () => {
    const graph = staticGraph(resolve(root, 'src/clients/create.ts'));
    expect(graph.size).toBeGreaterThan(10);
    const offenders = [...graph].flatMap(([file, specs]) =>
      specs.filter((s) => HEAVY.some((h) => s === h || s.startsWith(`${h}/`))).map((s) => `${file}: ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  it('the dynamic imports are really there (the check above is not vacuous)', () => {
    const text = ['src/auth/broker.ts', 'src/graph/reader.ts', 'src/mail/send-test-mail.ts']
      .map((f) => readFileSync(resolve(root, f), 'utf8'))
      .join('\n');
    for (const h of ['@azure/msal-node', '@microsoft/microsoft-graph-client', 'nodemailer/lib/mail-composer'])
      expect(text).toContain(`import('${h}')`);
  });
});
