// The little PowerShell the fix and migration scripts need: approved verbs, quoting, wrapped comments, and a check
// that a command line is plain (one cmdlet call whose values cannot expand or run anything else).

/** Verbs of `Get-Verb` (PowerShell 7): a command line in the fix script must start with one of them. */
export const APPROVED_VERBS: ReadonlySet<string> = new Set([
  // common
  'Add',
  'Clear',
  'Close',
  'Copy',
  'Enter',
  'Exit',
  'Find',
  'Format',
  'Get',
  'Hide',
  'Join',
  'Lock',
  'Move',
  'New',
  'Open',
  'Optimize',
  'Pop',
  'Push',
  'Redo',
  'Remove',
  'Rename',
  'Reset',
  'Resize',
  'Search',
  'Select',
  'Set',
  'Show',
  'Skip',
  'Split',
  'Step',
  'Switch',
  'Undo',
  'Unlock',
  'Watch',
  // data
  'Backup',
  'Checkpoint',
  'Compare',
  'Compress',
  'Convert',
  'ConvertFrom',
  'ConvertTo',
  'Dismount',
  'Edit',
  'Expand',
  'Export',
  'Group',
  'Import',
  'Initialize',
  'Limit',
  'Merge',
  'Mount',
  'Out',
  'Publish',
  'Restore',
  'Save',
  'Sync',
  'Unpublish',
  'Update',
  // lifecycle
  'Approve',
  'Assert',
  'Build',
  'Complete',
  'Confirm',
  'Deny',
  'Deploy',
  'Disable',
  'Enable',
  'Install',
  'Invoke',
  'Register',
  'Request',
  'Restart',
  'Resume',
  'Start',
  'Stop',
  'Submit',
  'Suspend',
  'Uninstall',
  'Unregister',
  'Wait',
  // diagnostic, communications, security, other
  'Debug',
  'Measure',
  'Ping',
  'Repair',
  'Resolve',
  'Test',
  'Trace',
  'Connect',
  'Disconnect',
  'Read',
  'Receive',
  'Send',
  'Write',
  'Block',
  'Grant',
  'Protect',
  'Revoke',
  'Unblock',
  'Unprotect',
  'Use',
]);

/** Read-only cmdlets of PowerShell itself that may follow a pipe (Where-Object and Sort-Object are not approved-verb names). */
const PIPE_CMDLETS = new Set([
  'Where-Object',
  'Select-Object',
  'Sort-Object',
  'Format-List',
  'Format-Table',
  'Measure-Object',
]);

/** Cmdlets that run other code, processes or downloads, or touch local files: never a tenant fix, so never emitted to run. */
const RUNS_OTHER_CODE = new Set<string>(
  [
    'Invoke-Expression',
    'Invoke-Command',
    'Invoke-Item',
    'Invoke-WebRequest',
    'Invoke-RestMethod',
    'Invoke-MgGraphRequest',
    'Start-Process',
    'Start-Job',
    'Start-ThreadJob',
    'Add-Type',
    'New-Object',
    'Import-Module',
    'Install-Module',
    'Set-ExecutionPolicy',
    'Set-Alias',
    'New-Alias',
    'Set-Variable',
    'New-Variable',
    'Remove-Item',
    'Set-Content',
    'Add-Content',
    'Out-File',
    'Copy-Item',
    'Move-Item',
    'New-Item',
    'Register-ScheduledTask',
  ].map((c) => c.toLowerCase()),
);

/** Variables a remediation may use as values; anything else could read or run something. */
const PLAIN_VARIABLES = new Set(['$true', '$false', '$null']);

/** PowerShell accepts typographic single quotes as quotes too, so all of them are doubled. */
export function singleQuoted(value: string): string {
  return `'${value.replace(/['\u2018\u2019\u201A\u201B]/g, (q) => q + q)}'`;
}

export function cmdletOf(line: string): string | undefined {
  return /^([A-Za-z]+-[A-Za-z0-9]+)(?![\w-])/.exec(line)?.[1];
}

/** Common aliases in remediation texts, spelled out: scripts should not depend on aliases. */
export function expandAliases(line: string): string {
  return line
    .replace(/\|\s*fl\b/g, '| Format-List')
    .replace(/\|\s*ft\b/g, '| Format-Table')
    .replace(/\|\s*\?\s/g, '| Where-Object ');
}

/**
 * Why a line is not a plain cmdlet call, or undefined when it is: it starts with an approved verb, only filters and
 * formatters follow a pipe, quotes close, double-quoted text holds no `$` (it would expand), `@(...)` and `@{...}` hold
 * only literals, and there is no backtick, (sub)expression, script block, redirection, call operator, statement
 * separator or variable other than $true/$false/$null: nothing in it can run anything but the cmdlet it names.
 */
export function unsafeCommandReason(line: string): string | undefined {
  const first = cmdletOf(line);
  // split() always yields at least one element.
  if (!first || !APPROVED_VERBS.has(first.split('-')[0]!)) return 'it does not start with a cmdlet of an approved verb';
  // PowerShell names are case-insensitive.
  if (RUNS_OTHER_CODE.has(first.toLowerCase())) return `${first} runs other code or touches local files`;
  if (/[\u0000-\u001F\u007F`\u2018-\u201F]/.test(line))
    return 'it holds a backtick, a typographic quote or a control character';
  /** Inside @( ) or @{ }: the closing bracket, else undefined. */
  let literal: ')' | '}' | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line.charAt(i);
    if (ch === "'" || ch === '"') {
      const end = closingQuote(line, i);
      if (end < 0) return 'a quote is not closed';
      if (ch === '"' && line.slice(i, end).includes('$')) return 'a double-quoted value would expand "$"';
      i = end;
      continue;
    }
    if (ch === '$') {
      const name = /^\$[A-Za-z_]\w*/.exec(line.slice(i))?.[0] ?? '$';
      if (!PLAIN_VARIABLES.has(name.toLowerCase()))
        return `it uses ${name === '$' ? 'a "$" expression' : `the variable ${name}`}`;
      i += name.length - 1;
      continue;
    }
    if (literal) {
      if (ch === literal) {
        literal = undefined;
        continue;
      }
      // An array holds values only; a hashtable adds its keys: bare words directly before "=". A bare word in
      // a value's place is a command (@{a = Stop-Computer}): a hashtable value is a statement in PowerShell.
      if (/[\s,0-9.=;-]/.test(ch) && !(ch === ';' && literal === ')')) continue;
      if (literal === '}' && /[A-Za-z_]/.test(ch)) {
        const key = /^[A-Za-z_]\w*\s*=/.exec(line.slice(i));
        if (key) {
          i += key[0].length - 1;
          continue;
        }
      }
      return `@${literal === ')' ? '(...)' : '{...}'} holds more than literal values`;
    }
    if (ch === '@' && (line[i + 1] === '(' || line[i + 1] === '{')) {
      literal = line[i + 1] === '(' ? ')' : '}';
      i++;
      continue;
    }
    if ('(){}[]'.includes(ch)) return 'it holds an expression or a script block';
    if (';&><'.includes(ch)) return `it holds "${ch}" outside quotes`;
    if (ch === '|') {
      const next = cmdletOf(line.slice(i + 1).trimStart());
      // Only filters and formatters may follow a pipe: a piped Remove-* would act on everything the first stage found.
      if (!next || !PIPE_CMDLETS.has(next))
        return `a pipe leads to ${next ?? 'something'} rather than a filter or formatter`;
    }
  }
  return literal ? 'a bracket is not closed' : undefined;
}

/** Index of the quote closing the one at `start` (doubled quotes are escapes), or -1. */
function closingQuote(line: string, start: number): number {
  const q = line[start];
  for (let j = start + 1; j < line.length; j++) {
    if (line[j] === q && line[j + 1] === q) {
      j++;
      continue;
    }
    if (line[j] === q) return j;
  }
  return -1;
}

/** Width of the scripts' comment lines. */
const WIDTH = 110;

/** The line between two sections of a script. */
export const RULE = `# ${'-'.repeat(WIDTH - 2)}`;

/** Text as line comments, wrapped; control characters and line breaks cannot end a comment early. */
export function comment(text: string): string[] {
  const words = oneLine(text).split(' ').filter(Boolean);
  const lines: string[] = [];
  let cur = '#';
  for (const w of words) {
    if (cur.length + 1 + w.length > WIDTH && cur !== '#') {
      lines.push(cur);
      cur = '#';
    }
    cur += ` ${w}`;
  }
  lines.push(cur);
  return lines;
}

/** The text on one line: control characters and line breaks become spaces. */
export function oneLine(text: string): string {
  return String(text)
    .replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029]+/g, ' ')
    .trim();
}
