// The Markdown reporter on the sample run, a failing 19-check run and a hostile one; the remediation splitter on every built-in text.
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinChecks } from '../../checks/index.js';
import { markdownReporter } from '../../reporters/markdown.js';
import { splitRemediation } from '../../reporters/report-text.js';
import { aadstsText } from '../../src/m365/aadsts.js';
import type { RunReport } from '../../src/core/result.js';
import { TEST_SECRETS } from '../helpers/engine-fixtures.js';
import { sampleReport } from '../helpers/sample-report.js';
import { hostileReport, MD_LINK } from './hostile.js';
import { failingScenario } from './scenario.js';

let report: RunReport;
let out: string;

beforeAll(async () => {
  report = await sampleReport();
  out = markdownReporter.render(report, { color: false });
});

/** Cells of a GFM table row: split on pipes that are not escaped. */
function cells(row: string): string[] {
  return row
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

/** The Markdown without fenced blocks and code spans. */
function outsideCode(md: string): string {
  return md.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1$/gm, '').replace(/(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, '');
}

function tableRows(md: string): string[] {
  const lines = md.split('\n');
  const start = lines.indexOf('| Status | Check | Result |');
  expect(start).toBeGreaterThanOrEqual(0);
  const rows: string[] = [];
  for (let i = start + 2; i < lines.length && lines[i].startsWith('|'); i++) rows.push(lines[i]);
  return rows;
}

describe('markdown reporter', () => {
  it('names itself and its extension', () => {
    expect(markdownReporter.name).toBe('markdown');
    expect(markdownReporter.extension).toBe('md');
  });

  it('opens with the verdict, the target and the counts', () => {
    expect(out.split('\n')[0]).toBe('## ❌ m365-doctor: FAILED');
    expect(out).toContain('1 check failed, 1 check could not be checked (error).');
    expect(out).toContain('- **Tenant:** contoso.onmicrosoft.com');
    expect(out).toContain('- **Client id:** `11111111-2222-3333-4444-555555555555`');
    expect(out).toContain('- **User:** mailbox@contoso.onmicrosoft.com');
    expect(out).toContain('- **Cloud:** global');
    expect(out).toContain('**6 checks:** ✅ 1 pass · ⚠️ 1 warn · ❌ 1 fail · ⏭️ 2 skip · 💥 1 error');
    expect(out).toMatch(/m365-doctor 0\.1\.0 · started \S+ · took \d+ ms \(critical path \d+ ms\)/);
  });

  it('has one table row of three cells per check, status as emoji and word', () => {
    const rows = tableRows(out);
    expect(rows).toHaveLength(report.checks.length);
    for (const [i, row] of rows.entries()) {
      const [status, check] = cells(row);
      expect(cells(row)).toHaveLength(3);
      expect(check).toContain(`\`${report.checks[i].id}\``);
      expect(status).toBe(
        { pass: '✅ pass', warn: '⚠️ warn', fail: '❌ fail', skip: '⏭️ skip', error: '💥 error' }[
          report.checks[i].status
        ],
      );
    }
    expect(rows[2]).toContain('Broken: consent \\<IMAP\\> & "POP" \uFFFD. (`BAD`)');
  });

  it('explains each problem, failures first, with code, fix, docs and evidence', () => {
    // Root causes lead: the fixes come before the table of every check.
    const fix = out.slice(out.indexOf('### How to fix'), out.indexOf('| Status | Check | Result |'));
    expect(out.indexOf('### How to fix')).toBeLessThan(out.indexOf('| Status | Check | Result |'));
    const heads = fix.split('\n').filter((l) => l.startsWith('#### '));
    expect(heads).toEqual([
      '#### ❌ fail: Test consent (`consent`)',
      '#### 💥 error: Test graph-user (`graph-user`)',
      '#### ⚠️ warn: Test app-found (`app-found`)',
    ]);
    expect(fix).toContain('**Code:** `AADSTS7000215`');
    expect(fix).toContain('**Fix:** Fix consent \\<IMAP\\> & "POP" \uFFFD in tenant contoso.onmicrosoft.com.');
    expect(fix).toContain(
      '📖 [Docs: consent](https://github.com/m365-doctor/m365-doctor/blob/main/docs/checks/consent.md)',
    );
    expect(fix).toContain('<details><summary>Evidence (2)</summary>');
    expect(fix).toMatch(
      /```json\n\{\n {2}"scopes": \[\n {4}"IMAP.AccessAsUser.All"\n {2}\],\n {2}"seen": true\n\}\n```/,
    );
    expect(fix).not.toContain('Test inputs');
  });

  it('keeps secrets and control characters out', () => {
    expect(out).not.toContain(TEST_SECRETS.clientSecret);
    expect(out).not.toContain(TEST_SECRETS.password);
    expect(out).not.toMatch(/[\u0000-\u0008\u000B-\u001F]/);
  });

  it('puts PowerShell into fenced blocks and keeps the prose', () => {
    const md = markdownReporter.render(failingScenario(report), { color: false });
    const section = md.slice(md.indexOf('#### ❌ fail: App-only mailbox access'));
    expect(section).toContain(
      '**Fix:**\n\n```powershell\nConnect-ExchangeOnline\nAdd-MailboxPermission -Identity mailbox@contoso.onmicrosoft.com ' +
        '-User 7d3e1c52-8f0a-4b8e-9d1e-0c1f2a3b4c5d -AccessRights FullAccess\n```\n\nCheck with\n\n```powershell\n' +
        'Get-MailboxPermission mailbox@contoso.onmicrosoft.com | Where-Object User -like "*7d3e1c52-8f0a-4b8e-9d1e-0c1f2a3b4c5d*"\n```',
    );
    // Prose-only remediations stay one paragraph.
    expect(md).toContain(
      '**Fix:** Check the password of mailbox@contoso.onmicrosoft.com (sign in once at https://myaccount.microsoft.com to confirm it).',
    );
    expect(tableRows(md)).toHaveLength(20);
  });

  it('escapes pipes, newlines, HTML and links from the report', () => {
    const md = markdownReporter.render(hostileReport(report), { color: false });
    const row = tableRows(md)[2];
    expect(cells(row)).toHaveLength(3);
    expect(row).toContain('\\| pipe<br>second line');
    // Outside code spans and fences (where Markdown shows text as it is) no tag survives.
    expect(outsideCode(md)).not.toMatch(/(?<!\\)<\/?(script|img|svg|b)\b/i);
    expect(md).toContain('**Code:** `BAD<script>alert(1)</script>`');
    expect(md).toContain('\\<script\\>alert(1)\\</script\\>');
    expect(md).not.toContain(MD_LINK);
    expect(md).toContain('\\[click me\\](https://evil.example/x)');
    // A javascript: docs URL is text, not a link.
    expect(md).not.toContain('](javascript:');
    // The command stays verbatim inside its fence, where Markdown renders nothing.
    expect(md).toContain(
      '```powershell\nSet-CASMailbox -Identity "a<img src=x onerror="document.title=\'pwned\'">" -ImapEnabled $true\n```',
    );
  });

  it('says so when nothing failed', async () => {
    const ok = structuredClone(report);
    for (const c of ok.checks) c.status = 'pass';
    ok.summary = { pass: 6, warn: 0, fail: 0, skip: 0, error: 0 };
    const md = markdownReporter.render(ok, { color: false });
    expect(md.split('\n')[0]).toBe('## ✅ m365-doctor: PASSED');
    expect(md).not.toContain('### How to fix');
  });
});

describe('splitRemediation', () => {
  const texts = [
    ...builtinChecks.flatMap((c) =>
      Object.values(c.meta.codes as Record<string, { remediation?: string }>).map((t) => t.remediation),
    ),
    ...[50076, 50126, 50055, 50057, 53003, 7000218].map((n) => aadstsText(n)?.remediation),
  ].filter((t): t is string => Boolean(t));

  it('keeps prose-only remediations whole', () => {
    expect(splitRemediation('Re-run with --admin device-code (an administrator signs in).')).toEqual([
      { kind: 'text', text: 'Re-run with --admin device-code (an administrator signs in).' },
    ]);
  });

  it('splits commands at separators, sentence ends and prose parentheses', () => {
    expect(
      splitRemediation(
        'Connect-ExchangeOnline; Set-CASMailbox -Identity u@x -SmtpClientAuthenticationDisabled $false (or $null to follow the tenant setting). ' +
          'Check with Get-CASMailbox u@x | fl SmtpClientAuthenticationDisabled.',
      ),
    ).toEqual([
      {
        kind: 'commands',
        lines: ['Connect-ExchangeOnline', 'Set-CASMailbox -Identity u@x -SmtpClientAuthenticationDisabled $false'],
      },
      { kind: 'text', text: '(or $null to follow the tenant setting). Check with' },
      { kind: 'commands', lines: ['Get-CASMailbox u@x | fl SmtpClientAuthenticationDisabled'] },
    ]);
  });

  it('keeps quoted JSON and @{...} together and leaves mentions of cmdlets in the prose', () => {
    const parts = splitRemediation(
      'Assign it: New-MgPolicyHomeRealmDiscoveryPolicy -Definition @(\'{"A":{"B":true}}\') -DisplayName "Allow. This" and then ' +
        'run Remove-ServicePrincipal for the wrong one. Set-MgUserLicense -UserId u -AddLicenses @{SkuId = "x; y"} -RemoveLicenses @(). Done.',
    );
    expect(parts).toEqual([
      { kind: 'text', text: 'Assign it:' },
      {
        kind: 'commands',
        lines: ['New-MgPolicyHomeRealmDiscoveryPolicy -Definition @(\'{"A":{"B":true}}\') -DisplayName "Allow. This"'],
      },
      { kind: 'text', text: 'and then run Remove-ServicePrincipal for the wrong one.' },
      { kind: 'commands', lines: ['Set-MgUserLicense -UserId u -AddLicenses @{SkuId = "x; y"} -RemoveLicenses @()'] },
      { kind: 'text', text: 'Done.' },
    ]);
  });

  it('on every built-in remediation: loses no word and starts every command line with a cmdlet', () => {
    expect(texts.length).toBeGreaterThan(40);
    for (const t of texts) {
      const parts = splitRemediation(t);
      const words = (s: string) => s.split(/[\s;.,]+/).filter(Boolean);
      const joined = parts.map((p) => (p.kind === 'text' ? p.text : p.lines.join(' '))).join(' ');
      expect(words(joined), t).toEqual(words(t));
      for (const p of parts) {
        if (p.kind === 'commands') for (const line of p.lines) expect(line, t).toMatch(/^[A-Z][a-z]+-[A-Z]\w*/);
      }
    }
  });
});
