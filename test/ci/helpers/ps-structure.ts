// A structural reading of a generated PowerShell script, written independently of the generator (no pwsh here):
// comments vs code, balanced quotes and brackets, and the verb each command line starts with.

/** The approved verbs of PowerShell's Get-Verb. */
const VERBS =
  `Add Clear Close Copy Enter Exit Find Format Get Hide Join Lock Move New Open Optimize Pop Push Redo Remove Rename
Reset Resize Search Select Set Show Skip Split Step Switch Undo Unlock Watch Backup Checkpoint Compare Compress Convert ConvertFrom
ConvertTo Dismount Edit Expand Export Group Import Initialize Limit Merge Mount Out Publish Restore Save Sync Unpublish Update
Approve Assert Build Complete Confirm Deny Deploy Disable Enable Install Invoke Register Request Restart Resume Start Stop Submit
Suspend Uninstall Unregister Wait Debug Measure Ping Repair Resolve Test Trace Connect Disconnect Read Receive Send Write Block
Grant Protect Revoke Unblock Unprotect Use`.split(/\s+/);
export const APPROVED = new Set(VERBS);

export interface ScriptShape {
  lines: string[];
  /** Lines that PowerShell executes (not blank, not a # comment). */
  code: string[];
  /** The cmdlet each code line starts with. */
  cmdlets: string[];
  /** "# [status] id: title" block headers in order. */
  blocks: { status: string; id: string; line: number }[];
  problems: string[];
}

export function readScript(text: string): ScriptShape {
  const lines = text.split('\n');
  const problems: string[] = [];
  const code: string[] = [];
  const cmdlets: string[] = [];
  const blocks: ScriptShape['blocks'] = [];
  lines.forEach((line, i) => {
    if (/\r|[\u0000-\u0008\u000B-\u001F]/.test(line)) problems.push(`line ${i + 1}: control character`);
    const header = /^# \[(pass|warn|fail|skip|error)\] ([a-z0-9-]+): /.exec(line);
    if (header) blocks.push({ status: header[1], id: header[2], line: i });
    if (line.trim() === '' || line.startsWith('#')) return;
    if (/^<#|#>/.test(line)) problems.push(`line ${i + 1}: block comment`);
    code.push(line);
    const balance = balanced(line);
    if (balance) problems.push(`line ${i + 1}: ${balance}: ${line}`);
    if (line === "$ErrorActionPreference = 'Stop'") return;
    const m = /^([A-Z][A-Za-z]+)-([A-Z][A-Za-z0-9]+)\b/.exec(line);
    if (!m) {
      problems.push(`line ${i + 1}: does not start with a cmdlet: ${line}`);
      return;
    }
    if (!APPROVED.has(m[1])) problems.push(`line ${i + 1}: ${m[1]} is not an approved verb`);
    cmdlets.push(`${m[1]}-${m[2]}`);
  });
  return { lines, code, cmdlets, blocks, problems };
}

/** Quotes (with PowerShell's doubled-quote escapes) and (), {}, [] must close on the same line. */
function balanced(line: string): string | undefined {
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', '}': '{', ']': '[' };
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === "'" || ch === '"') {
      let j = i + 1;
      for (; j < line.length; j++) {
        if (line[j] === ch && line[j + 1] === ch) {
          j++;
          continue;
        }
        if (line[j] === ch) break;
      }
      if (j >= line.length) return `unclosed ${ch}`;
      i = j;
      continue;
    }
    if (ch === '(' || ch === '{' || ch === '[') stack.push(ch);
    if (ch in pairs && stack.pop() !== pairs[ch]) return `unbalanced ${ch}`;
  }
  return stack.length ? `unclosed ${stack.join('')}` : undefined;
}
