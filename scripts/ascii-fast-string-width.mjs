// esbuild plugin for the CLI bundle (scripts/bundle.mjs): a fast stand-in for string-width where yargs imports it.
//
// yargs measures its help text with string-width (three copies: yargs', cliui's, wrap-ansi's), and does so on every
// command, because it caches the help before running the handler. Loading string-width costs ~50 ms (an
// Intl.Segmenter and a Unicode emoji RegExp built at import), while our help is plain ASCII, whose width is its
// length. So each ES module import of string-width gets a stand-in that answers printable ASCII itself and hands
// anything else to that same copy of string-width, loaded on first need (esbuild defers a require()d module).

import { dirname } from 'node:path';

const NAMESPACE = 'ascii-fast-string-width';

export const asciiFastStringWidth = {
  name: NAMESPACE,
  setup(build) {
    build.onResolve({ filter: /^string-width$/ }, async (args) => {
      // CommonJS users (cli-table3) call what require() returns, so they keep the real module.
      if (args.pluginData === 'real' || args.kind !== 'import-statement') return undefined;
      const real = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'real' });
      return real.errors.length ? real : { path: real.path, namespace: NAMESPACE };
    });
    build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
      resolveDir: dirname(args.path),
      contents: [
        'const PRINTABLE_ASCII = /^[\\x20-\\x7e]*$/;',
        'let real;',
        'export default function stringWidth(text, options) {',
        "  if (typeof text === 'string' && PRINTABLE_ASCII.test(text)) return text.length;",
        `  real ??= require(${JSON.stringify(args.path)});`,
        '  return (real.default ?? real)(text, options);',
        '}',
      ].join('\n'),
    }));
  },
};
