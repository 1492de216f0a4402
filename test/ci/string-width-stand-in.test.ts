// The CLI bundle swaps yargs' string-width for an ASCII fast path (scripts/ascii-fast-string-width.mjs). This proves the
// stand-in changes nothing: cliui, bundled with it, lays out ASCII, wide CJK, emoji and ANSI-coloured text exactly
// as the real string-width does.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
// @ts-expect-error: cliui (a yargs dependency) ships no type declarations
import cliui from 'cliui';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script without type declarations
import { asciiFastStringWidth } from '../../scripts/ascii-fast-string-width.mjs';
import { ROOT } from '../helpers/cli.js';

const ROWS: string[][] = [
  ['--tenant', 'Tenant id (GUID) or verified domain, long enough to wrap onto a second line'],
  ['日本語のテキスト', '全角の文字は二列を使う 漢字'],
  ['emoji 👍🏽 and ✅', 'flags 🇫🇷 and a family 👨‍👩‍👧'],
  ['\u001b[31mred\u001b[39m', 'ANSI colour codes take no columns'],
  ['café', 'combining accent: cafe\u0301'],
];

type Layout = (rows: string[][]) => string;
const layout: Layout = (rows) => {
  const ui = cliui({ width: 48 });
  for (const [left, right] of rows) ui.div({ text: left, width: 18 }, { text: right });
  return ui.toString();
};

const dir = mkdtempSync(join(tmpdir(), 'm365-doctor-width-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function bundledLayout(): Promise<{ layout: Layout; standIns: number }> {
  const out = await build({
    stdin: {
      contents: `import cliui from 'cliui';
export function layout(rows) { const ui = cliui({ width: 48 }); for (const [l, r] of rows) ui.div({ text: l, width: 18 }, { text: r }); return ui.toString(); }`,
      resolveDir: ROOT,
      sourcefile: 'layout.mjs',
      loader: 'js',
    },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'silent',
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    plugins: [asciiFastStringWidth],
  });
  const file = join(dir, 'layout.mjs');
  writeFileSync(file, out.outputFiles[0].text);
  const standIns = Object.keys(out.metafile.inputs).filter((i) => i.startsWith('ascii-fast-string-width:')).length;
  return { layout: ((await import(pathToFileURL(file).href)) as { layout: Layout }).layout, standIns };
}

describe('ASCII fast path for string-width in the bundle', () => {
  it('lays out every kind of text exactly as the real string-width', async () => {
    const bundled = await bundledLayout();
    expect(bundled.standIns).toBeGreaterThan(0);
    for (const row of ROWS) expect(bundled.layout([row]), row[0]).toBe(layout([row]));
    expect(bundled.layout(ROWS)).toBe(layout(ROWS));
  });
});
