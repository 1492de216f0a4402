// `m365-doctor explain CODE`: cause and fix of any code a report can hold, offline: AADSTS numbers, check codes,
// and the network layer's, runner's, Entra's, Graph's and Exchange SMTP's codes (src/runner/code-catalog.ts).
import { aadstsText } from '../m365/aadsts.js';
import { builtinChecks } from '../../checks/index.js';
import { GENERAL_CODES } from '../runner/code-catalog.js';

const SOURCE_NAME: Record<string, string> = {
  network: 'the network layer (any check that connects to a server)',
  runner: 'the runner (any check)',
  entra: 'Entra ID, when its answer carries no AADSTS number',
  graph: 'Microsoft Graph (checks that read the directory)',
  smtp: 'Exchange Online SMTP (smtp-login, smtp-send, in the quoted answer)',
};

/** The explanation as plain text, or undefined for an unknown code. */
export function explainCode(input: string): string | undefined {
  const raw = input.trim();
  const code = raw.toUpperCase();
  if (/^(AADSTS)?\d{5,}$/.test(code)) return explainAadsts(code.replace(/^AADSTS/, ''));
  const lines: string[] = [];
  const general = generalEntry(raw);
  if (general) {
    const [name, entry] = general;
    lines.push(name, '', `Reported by ${SOURCE_NAME[entry.source]}:`, `  Means: ${entry.message}`);
    if (entry.remediation) lines.push(`  Fix:   ${entry.remediation}`);
    if (entry.reference) lines.push(`  See:   ${entry.reference}`);
    lines.push('');
  }
  const uses = builtinChecks.flatMap((check) => {
    const text = (check.meta.codes as Record<string, { message: string; remediation?: string }>)[code];
    return text ? [{ check, text }] : [];
  });
  if (!general && uses.length === 0) return undefined;
  if (!general) lines.push(code, '');
  for (const { check, text } of uses) {
    lines.push(`In check ${check.meta.id} (${check.meta.title}):`, `  Means: ${text.message}`);
    if (text.remediation) lines.push(`  Fix:   ${text.remediation}`);
    lines.push(`  Docs:  ${check.meta.docsUrl}`, '');
  }
  lines.push("Placeholders in {braces} are filled with your tenant's values in a real report.");
  return lines.join('\n');
}

function explainAadsts(n: string): string {
  const known = aadstsText(n);
  const lookup = `Microsoft's lookup: https://login.microsoftonline.com/error?code=${n}`;
  if (!known) {
    // Entra has thousands of codes; an unlisted one still has Microsoft's own page.
    return [
      `AADSTS${n}`,
      '',
      "Not in m365-doctor's table of the codes a mail connector meets.",
      lookup,
      'All codes: https://learn.microsoft.com/entra/identity-platform/reference-error-codes',
    ].join('\n');
  }
  return [
    `AADSTS${n} (${known.name})`,
    '',
    `Cause: ${known.message}`,
    `Fix:   ${known.remediation ?? '-'}`,
    '',
    lookup,
    'Source: https://learn.microsoft.com/entra/identity-platform/reference-error-codes',
  ].join('\n');
}

/** Catalog codes are matched without regard to case: Graph's and OAuth's codes are mixed case. */
function generalEntry(raw: string): [string, (typeof GENERAL_CODES)[string]] | undefined {
  const hit = Object.keys(GENERAL_CODES).find((k) => k.toLowerCase() === raw.toLowerCase());
  return hit ? [hit, GENERAL_CODES[hit]] : undefined;
}

/** Every code explain knows by name (AADSTS numbers aside). */
export function knownCodes(): string[] {
  const names = new Set<string>(Object.keys(GENERAL_CODES));
  for (const check of builtinChecks) for (const code of Object.keys(check.meta.codes)) names.add(code);
  return [...names].sort();
}

/** Near matches for an unknown code: codes it is a prefix or part of (or that are part of it), then by edit distance. */
export function suggestCodes(input: string, max = 5): string[] {
  const q = input.trim().toUpperCase();
  if (!q) return [];
  const known = knownCodes();
  const upper = (k: string) => k.toUpperCase();
  const contains = known.filter(
    (k) => upper(k).startsWith(q) || upper(k).includes(q) || (q.includes(upper(k)) && k.length >= 4),
  );
  const limit = Math.max(3, Math.floor(q.length / 3));
  const close = known
    .map((k) => ({ k, d: editDistance(q, upper(k)) }))
    .filter(({ k, d }) => d <= limit && !contains.includes(k))
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k))
    .map(({ k }) => k);
  return [...contains.sort((a, b) => a.length - b.length || a.localeCompare(b)), ...close].slice(0, max);
}

/** Levenshtein distance, two rows at a time. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}
