// The shape every check must have, built-in or plugin, checked before any run: a broken check fails with one clear
// sentence instead of mid-run.
import { CATEGORIES, DOCS_BASE, type Category, type Check } from './check.js';

export type CheckOrigin = 'builtin' | 'plugin';

/** The problem with `value` as a check, in one sentence; undefined when it is a valid check from `origin`. */
export function validateCheck(value: unknown, origin: CheckOrigin): string | undefined {
  const c = value as Partial<Check> | undefined;
  const m = c?.meta as Partial<Check['meta']> | undefined;
  if (!c || typeof c.run !== 'function' || !m) return 'exports something that is not a check ({ meta, run })';
  if (typeof m.id !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(m.id))
    return `has a check with an invalid id ${JSON.stringify(m.id)} (lower-case, digits, dashes)`;
  if (typeof m.title !== 'string' || !m.title) return `check ${m.id} has no title`;
  if (!CATEGORIES.includes(m.category as Category))
    return `check ${m.id} has category ${JSON.stringify(m.category)}; use one of ${CATEGORIES.join(', ')}`;
  if (!Array.isArray(m.dependsOn) || m.dependsOn.some((d) => typeof d !== 'string'))
    return `check ${m.id} needs dependsOn: string[]`;
  for (const key of ['after', 'consults'] as const) {
    const ids = m[key];
    if (ids !== undefined && (!Array.isArray(ids) || ids.some((d) => typeof d !== 'string')))
      return `check ${m.id} needs ${key}: string[] (or none)`;
  }
  if (m.entraRefusal !== undefined && m.entraRefusal !== 'fail' && m.entraRefusal !== 'error')
    return `check ${m.id} has entraRefusal ${JSON.stringify(m.entraRefusal)}; use 'fail' or 'error' (or none)`;
  if (c.prepare !== undefined && typeof c.prepare !== 'function')
    return `check ${m.id} has a "prepare" that is not a function`;
  if (!m.codes || typeof m.codes !== 'object' || !Object.keys(m.codes).length) return `check ${m.id} declares no codes`;
  if (typeof m.docsUrl !== 'string' || !m.docsUrl.startsWith('https://'))
    return `check ${m.id} needs a docsUrl (https URL of its documentation)`;
  if (origin === 'plugin') {
    // Our docs site has no page for a third-party check, so the plugin names its own.
    if (m.docsUrl.startsWith(DOCS_BASE)) return `check ${m.id} points its docsUrl into m365-doctor's own docs`;
    return undefined;
  }
  // A built-in check has its page in docs/checks, a description, and words for each code.
  if (m.docsUrl !== `${DOCS_BASE}/${m.id}.md`)
    return `check ${m.id} has docsUrl ${m.docsUrl}, not its page ${DOCS_BASE}/${m.id}.md`;
  if (typeof m.description !== 'string' || !m.description) return `check ${m.id} has no description`;
  const wordless = Object.entries(m.codes).find(([, text]) => typeof text?.message !== 'string' || !text.message);
  if (wordless) return `check ${m.id} has no message for code ${wordless[0]}`;
  return undefined;
}
