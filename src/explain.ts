// `m365-doctor explain CODE`: cause and fix of any AADSTS or m365-doctor code, offline.
import { aadstsText } from './aadsts.js';
import { builtinChecks } from '../checks/index.js';
import { PROXY_CODES } from './net/proxy-codes.js';

/** The explanation as plain text, or undefined for an unknown code. */
export function explainCode(input: string): string | undefined {
  const code = input.trim().toUpperCase();
  const aadsts = aadstsText(code);
  if (aadsts && /^(AADSTS)?\d+$/.test(code)) {
    const n = code.replace(/^AADSTS/, '');
    return [`AADSTS${n} (${aadsts.name})`, '', `Cause: ${aadsts.message}`, `Fix:   ${aadsts.remediation ?? '-'}`,
      '', `Microsoft's lookup: https://login.microsoftonline.com/error?code=${n}`].join('\n');
  }
  const uses = builtinChecks.flatMap((check) => {
    const text = (check.meta.codes as Record<string, { message: string; remediation?: string }>)[code];
    return text ? [{ check, text }] : [];
  });
  const proxy = PROXY_CODES[code];
  if (uses.length === 0 && proxy) return [code, '', `Means: ${proxy.message}`, `Fix:   ${proxy.remediation}`].join('\n');
  if (uses.length === 0) return undefined;
  const lines = [code, ''];
  for (const { check, text } of uses) {
    lines.push(`In check ${check.meta.id} (${check.meta.title}):`, `  Means: ${text.message}`);
    if (text.remediation) lines.push(`  Fix:   ${text.remediation}`);
    lines.push(`  Docs:  ${check.meta.docsUrl}`, '');
  }
  lines.push('Placeholders in {braces} are filled with your tenant\'s values in a real report.');
  return lines.join('\n');
}
