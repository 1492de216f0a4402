// --plugin PATH_OR_PACKAGE: extra checks loaded through the same contract as the built-in ones.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Check } from '../core/check.js';
import { validateCheck } from '../core/check-validate.js';
import { ConfigError } from '../core/errors.js';

export async function loadPlugins(specs: readonly string[], cwd = process.cwd()): Promise<Check[]> {
  const checks: Check[] = [];
  for (const spec of specs) {
    const url = resolvePlugin(spec, cwd);
    let mod: { default?: unknown; checks?: unknown };
    try {
      mod = (await import(url)) as typeof mod;
    } catch (err) {
      throw new ConfigError(
        `--plugin ${spec}`,
        `cannot be loaded (${(err as Error).message.split('\n')[0]})`,
        'Give a path to an ES module or an installed package name',
      );
    }
    const found = Array.isArray(mod.checks) ? mod.checks : mod.default !== undefined ? [mod.default] : [];
    if (!found.length) {
      throw new ConfigError(
        `--plugin ${spec}`,
        'exports no check',
        'Export a check as default, or an array named "checks"',
      );
    }
    for (const candidate of found) checks.push(validPluginCheck(candidate, spec));
  }
  return checks;
}

function resolvePlugin(spec: string, cwd: string): string {
  const path = isAbsolute(spec) ? spec : resolve(cwd, spec);
  if (spec.startsWith('.') || isAbsolute(spec) || existsSync(path)) {
    if (!existsSync(path)) throw new ConfigError(`--plugin ${spec}`, `file ${path} does not exist`, 'Check the path');
    return pathToFileURL(path).href;
  }
  // A package name resolves from the working directory, where the user installed it.
  const entry = packageEntry(spec, cwd);
  if (entry) return pathToFileURL(entry).href;
  try {
    return pathToFileURL(createRequire(join(cwd, 'noop.js')).resolve(spec)).href;
  } catch {
    throw new ConfigError(
      `--plugin ${spec}`,
      `no file or installed package of that name (looked from ${cwd})`,
      'Give a path (./my-check.mjs) or install the package where you run m365-doctor',
    );
  }
}

/**
 * Entry file of an ES module package in a node_modules folder at or above `cwd`. require.resolve cannot
 * do this for packages whose "exports" only has an "import" condition, which is common for ESM plugins.
 */
function packageEntry(name: string, cwd: string): string | undefined {
  if (!/^(@[a-z0-9._~-]+\/)?[a-z0-9._~-]+$/i.test(name)) return undefined;
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const root = join(dir, 'node_modules', name);
    const manifest = join(root, 'package.json');
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: unknown; main?: string };
      const main = exportTarget(pkg.exports) ?? pkg.main ?? 'index.js';
      return join(root, main);
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** The "." target of package.json "exports" for import: a string, or the import/default condition. */
function exportTarget(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports;
  if (!exports || typeof exports !== 'object') return undefined;
  const map = exports as Record<string, unknown>;
  const dot = '.' in map ? map['.'] : map;
  if (typeof dot === 'string') return dot;
  if (dot && typeof dot === 'object') {
    const conditions = dot as Record<string, unknown>;
    for (const key of ['import', 'node', 'default']) {
      const target = exportTarget(conditions[key]);
      if (target) return target;
    }
  }
  return undefined;
}

/** Checks the shape at load time (the rules of every check, check-validate.ts), then fills what a plugin may omit. */
function validPluginCheck(value: unknown, spec: string): Check {
  const problem = validateCheck(value, 'plugin');
  if (problem) throw new ConfigError(`--plugin ${spec}`, problem, 'See "Writing a check plugin" in the README');
  const c = value as Check;
  return {
    meta: { ...c.meta, description: c.meta.description ?? '' },
    run: c.run.bind(c),
    ...(c.prepare ? { prepare: c.prepare.bind(c) } : {}),
  };
}
