// Words shared by the Markdown and HTML reporters: verdict, skip sentences, remediation split into prose and commands.
import type { SkipReason, Status } from '../src/core/check.js';
import type { RunReport } from '../src/core/result.js';
import type { FailOn } from '../src/runner/exit-code.js';
import { BIDI_CONTROLS } from '../src/output/terminal-text.js';
import { coverage, plural } from '../src/runner/verdict.js';
import type { Reporter } from './types.js';

/** The reporters of this file's siblings, until ReporterName knows their names. */
export type ExtraReporterName = 'html' | 'markdown';
export type ExtraReporter = Omit<Reporter, 'name'> & { name: ExtraReporterName };

/** Problems first: the order of the "How to fix" sections. */
export const PROBLEM_ORDER: readonly Status[] = ['fail', 'error', 'warn'];

export const SKIP_REASON_TEXT: Record<SkipReason, string> = {
  'dependency-failed': 'A check it depends on failed, errored or was skipped.',
  'not-selected': 'Not selected for this run (--only / --skip).',
  'not-applicable': 'Not applicable to the chosen activities or configuration.',
  'needs-directory-reader': 'Needs a directory reader: re-run with --admin so the directory can be read.',
  'needs-flag': 'Changes something, so it runs only with its explicit flag (e.g. --send-test-mail).',
  'accepted-exception': 'Accepted exception from the configuration (exceptions).',
};

export type Verdict = 'pass' | 'warn' | 'fail';

export interface VerdictText {
  verdict: Verdict;
  /** One or two words: PASSED, PASSED WITH WARNINGS, FAILED. */
  label: string;
  /** A sentence saying why. */
  detail: string;
}

/**
 * The verdict of the exit code under --fail-on (default fail: fail or error fails the run, warnings do not),
 * qualified with what did not run: a run that skipped checks never reads as a plain PASSED.
 */
export function verdictOf(report: Pick<RunReport, 'summary' | 'checks'>, failOn: FailOn = 'fail'): VerdictText {
  const s = report.summary;
  const cov = coverage(report.checks);
  const notRun = cov.notRun ? ` ${cov.line.charAt(0).toUpperCase()}${cov.line.slice(1)}.` : '';
  const qualified = (label: string) =>
    cov.notRun ? `${label}, ${plural(cov.notRun, 'check').toUpperCase()} NOT RUN` : label;
  if (s.fail > 0 || s.error > 0) {
    const parts = [
      s.fail ? `${plural(s.fail, 'check')} failed` : '',
      s.error ? `${plural(s.error, 'check')} could not be checked (error)` : '',
    ].filter(Boolean);
    return { verdict: 'fail', label: 'FAILED', detail: `${parts.join(', ')}.${notRun}` };
  }
  if (s.warn > 0 && failOn === 'warn') {
    return {
      verdict: 'fail',
      label: 'FAILED',
      detail: `${plural(s.warn, 'warning')}, and --fail-on warn fails the run on warnings.${notRun}`,
    };
  }
  if (s.warn > 0)
    return {
      verdict: 'warn',
      label: qualified('PASSED WITH WARNINGS'),
      detail: `${plural(s.warn, 'warning')}, nothing failed.${notRun}`,
    };
  if (s.pass === 0)
    return {
      verdict: 'pass',
      label: qualified('NOTHING FAILED'),
      detail: `No check passed either: every check was skipped.${notRun}`,
    };
  return {
    verdict: 'pass',
    label: qualified('PASSED'),
    detail: `All ${plural(s.pass, 'check')} that ran passed.${notRun}`,
  };
}

export function problemsInOrder<T extends { status: Status }>(checks: readonly T[]): T[] {
  return PROBLEM_ORDER.flatMap((s) => checks.filter((c) => c.status === s));
}

export function duration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

const CONTROLS_BUT_TAB_AND_NEWLINE = new RegExp(`[\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F${BIDI_CONTROLS}]`, 'g');

/** Control characters (but tab and newline) and bidi controls become U+FFFD: servers' text must not act on terminals or markup. */
export function clean(text: string): string {
  return String(text).replace(/\r\n?/g, '\n').replace(CONTROLS_BUT_TAB_AND_NEWLINE, '\uFFFD');
}

/** Only http(s) URLs become links; anything else is shown as text. */
export function isWebUrl(url: string): boolean {
  return /^https?:\/\/[^\s<>"']+$/i.test(url);
}

export type RemediationPart = { kind: 'text'; text: string } | { kind: 'commands'; lines: string[] };

// Approved PowerShell verbs that remediations use; "Re-run" or "Sign-in" are prose.
const VERBS =
  'Get|Set|New|Add|Remove|Update|Connect|Disconnect|Enable|Disable|Grant|Revoke|Test|Start|Stop|Import|Install|' +
  'Invoke|Clear|Reset|Register|Unregister|Select|Where|Format|ForEach|Sort|Measure|Restore|Search';
const CMDLET = new RegExp(`(?<![\\w-])(?:${VERBS})-[A-Z][A-Za-z0-9]*(?![\\w-])`, 'g');
const CMDLET_AT = new RegExp(`^(?:${VERBS})-[A-Z][A-Za-z0-9]*(?![\\w-])`);

/**
 * Splits a remediation into prose and runs of PowerShell commands ("Connect-ExchangeOnline; Set-CASMailbox -Identity x ...").
 * The prose is kept as it is; commands lose only the separators between them ("; ") and a sentence's closing full stop.
 * A cmdlet followed by an English word ("run Remove-ServicePrincipal for the wrong one") is a mention, not a command.
 */
export function splitRemediation(remediation: string): RemediationPart[] {
  const text = remediation;
  const parts: RemediationPart[] = [];
  let prose = '';
  let i = 0;
  CMDLET.lastIndex = 0;
  for (let m = CMDLET.exec(text); m; m = CMDLET.exec(text)) {
    if (m.index < i) continue;
    const after = text.slice(m.index + m[0].length);
    if (/^ [a-z]+\b(?![@.\-:])/.test(after)) continue; // a mention in a sentence
    const end = commandEnd(text, m.index);
    const lines = splitCommands(text.slice(m.index, end));
    if (!lines.length) continue;
    prose += text.slice(i, m.index);
    pushText(parts, prose);
    prose = '';
    parts.push({ kind: 'commands', lines });
    i = end;
    CMDLET.lastIndex = end;
  }
  prose += text.slice(i);
  pushText(parts, prose);
  return parts;
}

function pushText(parts: RemediationPart[], text: string): void {
  // What follows a command may open with the full stop or comma that closed it.
  const t = (parts.length ? text.replace(/^[\s.,;]+/, '') : text).trim();
  if (t) parts.push({ kind: 'text', text: t });
}

/** Index just after a command run: at a sentence end, an opening prose parenthesis, ", or"/" and then", or the end. */
function commandEnd(text: string, start: number): number {
  let quote: string | null = null;
  let depth = 0;
  for (let j = start; j < text.length; j++) {
    const ch = text[j];
    if (quote) {
      if (ch === quote) quote = null;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      continue;
    }
    if (ch === '{' || (ch === '(' && text[j - 1] === '@')) {
      depth++;
      continue;
    }
    if ((ch === '}' || ch === ')') && depth > 0) {
      depth--;
      continue;
    }
    if (depth > 0) continue;
    if (ch === '\n') return j;
    if (ch === '.' && (j + 1 === text.length || /\s/.test(text.charAt(j + 1)))) return j;
    if (ch === ' ' && text[j + 1] === '(' && /[A-Za-z]/.test(text[j + 2] ?? '')) return j;
    if (ch === ',' && /^, (?:or|and|then)\b/.test(text.slice(j))) return j;
    if (ch === ' ' && /^ (?:or|and|then)\b/.test(text.slice(j))) return j;
    if (ch === ';' && !CMDLET_AT.test(text.slice(j + 1).trimStart())) return j;
  }
  return text.length;
}

/** "A; B | C" -> ["A", "B | C"], keeping separators inside quotes. */
function splitCommands(run: string): string[] {
  const lines: string[] = [];
  let quote: string | null = null;
  let cur = '';
  for (const ch of run) {
    if (quote) {
      if (ch === quote) quote = null;
      cur += ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      cur += ch;
      continue;
    }
    if (ch === ';') {
      lines.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  lines.push(cur);
  return lines.map((l) => l.trim()).filter(Boolean);
}
