// --plugin PATH_OR_PACKAGE: extra checks loaded through the same contract as the built-in ones.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DOCS_BASE, type Category, type Check } from '../check.js';
import { ConfigError } from '../errors.js';

const CATEGORIES: readonly Category[] = ['config', 'entra', 'token', 'graph', 'exchange'];

export async function loadPlugins(specs: readonly string[], cwd = process.cwd()): Promise<Check[]> {
  const checks: Check[] = [];
  for (const spec of specs) {
    const url = resolvePlugin(spec, cwd);
    let mod: { default?: unknown; checks?: unknown };
    try {
      mod = (await import(url)) as typeof mod;
    } catch (err) {
      throw new ConfigError(`--plugin ${spec}`, `cannot be loaded (${(err as Error).message.split('\n')[0]})`,
        'Give a path to an ES module or an installed package name');
    }
    const found = Array.isArray(mod.checks) ? mod.checks : mod.default !== undefined ? [mod.default] : [];
    if (!found.length) {
      throw new ConfigError(`--plugin ${spec}`, 'exports no check', 'Export a check as default, or an array named "checks"');
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
  try {
    return pathToFileURL(createRequire(join(cwd, 'noop.js')).resolve(spec)).href;
  } catch {
    return spec;
  }
}

/** Checks the shape at load time, so a broken plugin fails with a clear message instead of mid-run. */
function validPluginCheck(value: unknown, spec: string): Check {
  const c = value as Partial<Check> | undefined;
  const m = c?.meta as Partial<Check['meta']> | undefined;
  const bad = (problem: string): never => {
    throw new ConfigError(`--plugin ${spec}`, problem, 'See "Writing a check plugin" in the README');
  };
  if (!c || typeof c.run !== 'function' || !m) return bad('exports something that is not a check ({ meta, run })');
  if (typeof m.id !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(m.id)) return bad(`has a check with an invalid id ${JSON.stringify(m.id)} (lower-case, digits, dashes)`);
  if (typeof m.title !== 'string' || !m.title) return bad(`check ${m.id} has no title`);
  if (!CATEGORIES.includes(m.category as Category)) return bad(`check ${m.id} has category ${JSON.stringify(m.category)}; use one of ${CATEGORIES.join(', ')}`);
  if (!Array.isArray(m.dependsOn) || m.dependsOn.some((d) => typeof d !== 'string')) return bad(`check ${m.id} needs dependsOn: string[]`);
  if (m.after !== undefined && !Array.isArray(m.after)) return bad(`check ${m.id} has a non-array "after"`);
  if (!m.codes || typeof m.codes !== 'object' || !Object.keys(m.codes).length) return bad(`check ${m.id} declares no codes`);
  // Our docs site has no page for a third-party check, so the plugin names its own.
  if (typeof m.docsUrl !== 'string' || !m.docsUrl.startsWith('https://')) return bad(`check ${m.id} needs a docsUrl (https URL of its documentation)`);
  if (m.docsUrl.startsWith(DOCS_BASE)) return bad(`check ${m.id} points its docsUrl into m365-doctor's own docs`);
  return { meta: { description: '', ...m } as Check['meta'], run: c.run.bind(c) };
}
