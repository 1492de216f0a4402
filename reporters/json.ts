// Machine report: the RunReport with a fixed key order; code and remediation are null when absent.
import type { CheckResult, RunReport } from '../src/result.js';
import type { Reporter } from './types.js';

export const jsonReporter: Reporter = {
  name: 'json',
  extension: 'json',
  render(report) {
    return `${JSON.stringify({ ...report, checks: report.checks.map(publicCheck) }, null, 2)}\n`;
  },
};

/** The public shape of one check; these names are a contract scripts rely on. */
function publicCheck(c: CheckResult) {
  return {
    id: c.id,
    title: c.title,
    category: c.category,
    status: c.status,
    message: c.message,
    code: c.code ?? null,
    remediation: c.remediation ?? null,
    evidence: c.evidence,
    docsUrl: c.docsUrl,
    durationMs: c.durationMs,
    ...(c.status === 'skip' ? { skipReason: c.skipReason ?? 'not-applicable' } : {}),
    dependsOn: c.dependsOn,
  };
}
