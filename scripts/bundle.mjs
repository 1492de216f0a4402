// Bundles the compiled CLI (dist/src/cli/main.js, from tsc) into dist/cli/: a few large files instead of ~340 ES modules,
// because resolving and linking each module costs Node ~0.5 ms and a full check loads them all. Lazy imports stay lazy:
// each dynamic import() becomes its own chunk, so --version and --help still load no MSAL, Graph or mail code.
// dist/cli/meta.json maps every output file to the sources in it (the start-up test reads it).
import { build } from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { asciiFastStringWidth } from './ascii-fast-string-width.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const outdir = `${root}dist/cli`;
rmSync(outdir, { recursive: true, force: true });

const result = await build({
  absWorkingDir: root,
  entryPoints: ['dist/src/cli/main.js'],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // The ES module builds of dependencies that ship both (the Graph client's CommonJS build has no named exports here).
  mainFields: ['module', 'main'],
  // Bundled CommonJS dependencies still call require() for Node's own modules.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  legalComments: 'eof',
  plugins: [asciiFastStringWidth],
  metafile: true,
  logLevel: 'warning',
});

const files = Object.fromEntries(
  Object.entries(result.metafile.outputs).map(([file, out]) => [file, Object.keys(out.inputs)]),
);
writeFileSync(`${outdir}/meta.json`, `${JSON.stringify(files, null, 1)}\n`);
