// The little PowerShell the fix script needs: approved verbs, quoting, and a check that a command line is plain
// (one cmdlet call whose values cannot expand or run anything else).

/** Verbs of `Get-Verb` (PowerShell 7): a command line in the fix script must start with one of them. */
export const APPROVED_VERBS: ReadonlySet<string> = new Set([
  // common
  'Add', 'Clear', 'Close', 'Copy', 'Enter', 'Exit', 'Find', 'Format', 'Get', 'Hide', 'Join', 'Lock', 'Move', 'New', 'Open',
  'Optimize', 'Pop', 'Push', 'Redo', 'Remove', 'Rename', 'Reset', 'Resize', 'Search', 'Select', 'Set', 'Show', 'Skip',
  'Split', 'Step', 'Switch', 'Undo', 'Unlock', 'Watch',
  // data
  'Backup', 'Checkpoint', 'Compare', 'Compress', 'Convert', 'ConvertFrom', 'ConvertTo', 'Dismount', 'Edit', 'Expand',
  'Export', 'Group', 'Import', 'Initialize', 'Limit', 'Merge', 'Mount', 'Out', 'Publish', 'Restore', 'Save', 'Sync',
  'Unpublish', 'Update',
  // lifecycle
  'Approve', 'Assert', 'Build', 'Complete', 'Confirm', 'Deny', 'Deploy', 'Disable', 'Enable', 'Install', 'Invoke',
  'Register', 'Request', 'Restart', 'Resume', 'Start', 'Stop', 'Submit', 'Suspend', 'Uninstall', 'Unregister', 'Wait',
  // diagnostic, communications, security, other
  'Debug', 'Measure', 'Ping', 'Repair', 'Resolve', 'Test', 'Trace', 'Connect', 'Disconnect', 'Read', 'Receive', 'Send',
  'Write', 'Block', 'Grant', 'Protect', 'Revoke', 'Unblock', 'Unprotect', 'Use',
]);

/** Cmdlets of PowerShell itself that may follow a pipe (Where-Object and Format-List are not approved-verb names). */
const PIPE_CMDLETS = new Set(['Where-Object', 'ForEach-Object', 'Select-Object', 'Sort-Object', 'Format-List', 'Format-Table', 'Measure-Object']);

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
  return line.replace(/\|\s*fl\b/g, '| Format-List').replace(/\|\s*ft\b/g, '| Format-Table').replace(/\|\s*\?\s/g, '| Where-Object ');
}

/**
 * Why a line is not a plain cmdlet call, or undefined when it is: it starts with an approved verb, every pipe stage is a
 * cmdlet, quotes and brackets balance, double-quoted text holds no `$` (it would expand), and there is no backtick,
 * subexpression, redirection, call operator, statement separator or variable other than $true/$false/$null.
 */
export function unsafeCommandReason(line: string): string | undefined {
  const first = cmdletOf(line);
  if (!first || !APPROVED_VERBS.has(first.split('-')[0])) return 'it does not start with a cmdlet of an approved verb';
  if (/[\u0000-\u001F\u007F`]/.test(line)) return 'it holds a backtick or a control character';
  const stack: string[] = [];
  const close: Record<string, string> = { '(': ')', '{': '}', '[': ']' };
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote === "'") {
      if (ch === "'" && line[i + 1] === "'") i++;
      else if (ch === "'") quote = null;
      continue;
    }
    if (quote === '"') {
      if (ch === '$') return 'a double-quoted value would expand "$"';
      if (ch === '"' && line[i + 1] === '"') i++;
      else if (ch === '"') quote = null;
      continue;
    }
    if (ch === "'" || ch === '"') { quote = ch; continue; }
    if (/[\u2018-\u201F]/.test(ch)) return 'it holds a typographic quote';
    if (ch in close) { stack.push(close[ch]); continue; }
    if (ch === ')' || ch === '}' || ch === ']') {
      if (stack.pop() !== ch) return 'its brackets do not balance';
      continue;
    }
    if (ch === ';' || ch === '&' || ch === '>' || ch === '<') return `it holds "${ch}" outside quotes`;
    if (ch === '$') {
      const name = /^\$[A-Za-z_]\w*/.exec(line.slice(i))?.[0] ?? '$';
      if (!PLAIN_VARIABLES.has(name.toLowerCase())) return `it uses ${name === '$' ? 'a "$" expression' : `the variable ${name}`}`;
      i += name.length - 1;
      continue;
    }
    if (ch === '|') {
      const next = cmdletOf(line.slice(i + 1).trimStart());
      if (!next || !(PIPE_CMDLETS.has(next) || APPROVED_VERBS.has(next.split('-')[0]))) return 'a pipe leads to something that is not a cmdlet';
    }
  }
  if (quote) return 'a quote is not closed';
  if (stack.length) return 'its brackets do not balance';
  return undefined;
}
