// A saved report is someone else's file: its remediation text may have been edited to hold any command. The fix
// script therefore takes commands only from m365-doctor's own remediation template for the result's check and code,
// filled with values read back from the report, each value checked against the shape its placeholder stands for.
import type { CheckMeta } from '../core/check.js';
import type { CheckResult } from '../core/result.js';
import { codeText } from '../runner/render.js';
import { APPROVED_VERBS } from './powershell-syntax.js';

export const GUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
export const DOMAIN = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))+';
// No quote of any kind, no $, no bracket: a UPN placed bare after -Identity stays one plain argument.
export const UPN = `[A-Za-z0-9._%+!#=~^-]{1,64}@${DOMAIN}`;

/** The shape each placeholder's value must have; placeholders not listed are prose (see PROSE). */
const SHAPES: Record<string, string> = {
  username: UPN,
  upn: UPN,
  mailbox: UPN,
  clientId: GUID,
  appId: GUID,
  id: GUID,
  tenantId: GUID,
  spObjectId: GUID,
  appObjectId: GUID,
  tenant: `(?:${GUID}|${DOMAIN})`,
  domain: DOMAIN,
  authorityHost: `https://(?:${DOMAIN}|\\d{1,3}(?:\\.\\d{1,3}){3})(?::\\d{1,5})?`,
  n: '\\d{1,9}',
  days: '\\d{1,9}',
  status: '\\d{1,3}',
};
/** A prose value: one line, lazily matched; whether it could pass for a command is judged after the match. */
const PROSE = '[^\\r\\n]*?';
const CMDLET_SHAPE = new RegExp(`\\b(?:${[...APPROVED_VERBS].join('|')})-[A-Za-z]`, 'i');

/** Remediation templates by check id, from the checks' own metadata. */
export type RemediationCatalog = ReadonlyMap<string, Pick<CheckMeta, 'codes'>>;

export function remediationCatalog(checks: readonly { meta: Pick<CheckMeta, 'id' | 'codes'> }[]): RemediationCatalog {
  return new Map(checks.map((c) => [c.meta.id, c.meta]));
}

export type Trusted = { remediation: string } | { untrusted: string };

/**
 * The result's remediation rebuilt from m365-doctor's own template, or why that cannot be done. `catalog` holds the
 * metadata of the checks whose templates are trusted (the built-in checks).
 */
export function trustedRemediation(result: CheckResult, catalog: RemediationCatalog): Trusted {
  if (!result.remediation) return { remediation: '' };
  const meta = catalog.get(result.id);
  if (!meta)
    return {
      untrusted: `${result.id} is not a check of m365-doctor, so none of its remediation is taken as a command`,
    };
  const template = result.code ? codeText(meta, result.code)?.remediation : undefined;
  if (!template) return { untrusted: `m365-doctor has no remediation for ${result.id} ${result.code ?? '(no code)'}` };
  const values = readBack(template, result.remediation);
  if (!values)
    return {
      untrusted: `the report's remediation for ${result.id} ${result.code} is not m365-doctor's text for that code (edited, or from another version)`,
    };
  for (const [name, value] of Object.entries(values)) {
    if (!SHAPES[name] && CMDLET_SHAPE.test(value))
      return { untrusted: `the value of {${name}} in ${result.id}'s remediation looks like a command` };
  }
  return { remediation: template.replace(/\{([A-Za-z0-9_]+)\}/g, (whole, name: string) => values[name] ?? whole) };
}

/** The placeholder values that turn `template` into exactly `text`, or undefined when no such values exist. */
function readBack(template: string, text: string): Record<string, string> | undefined {
  const names: string[] = [];
  let pattern = '';
  let last = 0;
  for (const m of template.matchAll(/\{([A-Za-z0-9_]+)\}/g)) {
    pattern += escapeRegExp(template.slice(last, m.index));
    const name = m[1]!; // the pattern's only group takes part in every match
    // A placeholder used twice must have the same value both times.
    pattern += names.includes(name) ? `\\k<${name}>` : `(?<${name}>${SHAPES[name] ?? PROSE})`;
    if (!names.includes(name)) names.push(name);
    last = m.index + m[0].length;
  }
  pattern += escapeRegExp(template.slice(last));
  const match = new RegExp(`^${pattern}$`).exec(text);
  if (!match) return undefined;
  return Object.fromEntries(names.map((n) => [n, match.groups?.[n] ?? '']));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
