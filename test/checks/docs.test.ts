// Every built-in check has its docs page (docs/checks/<id>.md), the page names every code the check can report,
// and the check list, the checks/ folder and the docs folder agree with one another.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinChecks } from '../../checks/index.js';
import { DOCS_BASE } from '../../src/core/check.js';

const checksDir = fileURLToPath(new URL('../../checks/', import.meta.url));
const docsDir = fileURLToPath(new URL('../../docs/checks/', import.meta.url));
const docPath = (id: string) => `${docsDir}${id}.md`;
const ids = builtinChecks.map((c) => c.meta.id);

describe.each(builtinChecks.map((c) => [c.meta.id, c] as const))('docs/checks/%s.md', (id, check) => {
  const read = () => readFileSync(docPath(id), 'utf8');

  it('exists', () => {
    expect(existsSync(docPath(id)), `missing ${docPath(id)}`).toBe(true);
  });

  it('starts with "# <id>: <title>"', () => {
    const first = read().split('\n', 1)[0];
    expect(first.startsWith(`# ${id}`)).toBe(true);
    expect(first).toBe(`# ${id}: ${check.meta.title}`);
  });

  it('mentions every code the check declares', () => {
    const text = read();
    const missing = Object.keys(check.meta.codes).filter((code) => !text.includes(code));
    expect(missing, `codes of ${id} not mentioned in its page`).toEqual([]);
  });

  it('names every check it depends on or runs after', () => {
    const text = read();
    const related = [...check.meta.dependsOn, ...(check.meta.after ?? [])];
    expect(related.filter((dep) => !text.includes(dep))).toEqual([]);
  });

  it('says, under "Hard dependencies", why it cannot run without each hard dependency it keeps', () => {
    const section = read().split('\n## Hard dependencies\n')[1]?.split('\n## ')[0] ?? '';
    expect(section.length, 'no "## Hard dependencies" section').toBeGreaterThan(20);
    expect(check.meta.dependsOn.filter((dep) => !section.includes(`[${dep}](${dep}.md):`))).toEqual([]);
  });

  it('is the page the check links to', () => {
    expect(check.meta.docsUrl).toBe(`${DOCS_BASE}/${id}.md`);
  });
});

describe('check list, checks/ folder and docs/checks/ agree', () => {
  it('has unique ids', () => {
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('lists every checks/*.ts module (except index.ts) with meta.id equal to its file name', async () => {
    const files = readdirSync(checksDir)
      .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
      .sort();
    expect(files.map((f) => f.replace(/\.ts$/, ''))).toEqual([...ids].sort());
    for (const file of files) {
      const mod = (await import(`../../checks/${file.replace(/\.ts$/, '.js')}`)) as {
        default: (typeof builtinChecks)[number];
      };
      const id = file.replace(/\.ts$/, '');
      expect(mod.default.meta.id, `meta.id of checks/${file}`).toBe(id);
      expect(builtinChecks, `checks/${file} is not in builtinChecks`).toContain(mod.default);
    }
  });

  it('has no docs page without a check', () => {
    const pages = readdirSync(docsDir)
      .filter((f) => f.endsWith('.md'))
      .map((f) => f.replace(/\.md$/, ''));
    expect(pages.filter((p) => !ids.includes(p))).toEqual([]);
  });

  it('has only Markdown pages in docs/checks/', () => {
    expect(readdirSync(docsDir).filter((f) => !f.endsWith('.md'))).toEqual([]);
  });

  it('links only to docs pages that exist', () => {
    const broken: string[] = [];
    for (const id of ids) {
      const text = readFileSync(docPath(id), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([a-z0-9-]+)\.md(?:#[a-z0-9-]+)?\)/g)) {
        if (!existsSync(docPath(target))) broken.push(`${id}.md -> ${target}.md`);
      }
    }
    expect(broken).toEqual([]);
  });
});
