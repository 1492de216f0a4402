// A report whose server-supplied strings try to inject markup into the HTML and Markdown reports.
import type { RunReport } from '../../src/core/result.js';

export const SCRIPT = '<script>alert(1)</script>';
export const IMG = `<img src=x onerror="document.title='pwned'">`;
export const MD_LINK = '[click me](https://evil.example/x)';

export function hostileReport(base: RunReport): RunReport {
  const report = structuredClone(base);
  const consent = report.checks.find((c) => c.id === 'consent')!;
  consent.message = `Server said ${SCRIPT} and ${IMG} | pipe\nsecond line ${MD_LINK}`;
  consent.evidence = { ...consent.evidence, banner: `${SCRIPT}${IMG}`, lines: [SCRIPT, '"quoted" & <b>bold</b>'] };
  consent.remediation = `Fix it ${SCRIPT}: Set-CASMailbox -Identity "a${IMG}" -ImapEnabled $true. Then ${MD_LINK}.`;
  consent.code = `BAD${SCRIPT}`;
  consent.title = `Consent ${IMG}`;
  const graphUser = report.checks.find((c) => c.id === 'graph-user')!;
  graphUser.docsUrl = 'javascript:alert(1)';
  report.target.tenant = `contoso${SCRIPT}`;
  report.target.username = `"><svg onload=alert(1)>`;
  return report;
}
