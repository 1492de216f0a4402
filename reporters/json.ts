// Machine report (schemaVersion 2): the RunReport with a fixed key order, every check, plus the root causes and the
// coverage derived from them; code, remediation and causedBy are null when absent.
import type { CheckResult, RunReport } from '../src/core/result.js';
import { coverage, rootCauses } from '../src/runner/verdict.js';
import type { Reporter } from './types.js';

export const jsonReporter: Reporter = {
  name: 'json',
  extension: 'json',
  render(report) {
    return `${JSON.stringify(publicReport(report), null, 2)}\n`;
  },
};

/** The public JSON shape of a run (also each target's section of a fleet report). */
export function publicReport(report: RunReport) {
  const {
    schemaVersion: _old,
    tool,
    environment,
    target,
    startedAt,
    finishedAt,
    durationMs,
    criticalPathMs,
    summary,
    checks,
  } = report;
  const cov = coverage(checks);
  return {
    schemaVersion: 2 as const,
    tool,
    environment,
    target,
    startedAt,
    finishedAt,
    durationMs,
    criticalPathMs,
    summary,
    notRun: { count: cov.notRun, line: cov.line, groups: cov.groups },
    rootCauses: rootCauses(checks).map((r) => ({
      id: r.id,
      status: r.status,
      code: r.code,
      message: r.message,
      remediation: r.remediation,
      symptoms: r.symptoms,
    })),
    checks: checks.map(publicCheck),
  };
}

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
    causedBy: c.causedBy ?? null,
    evidence: c.evidence,
    docsUrl: c.docsUrl,
    durationMs: c.durationMs,
    ...(c.status === 'skip' ? { skipReason: c.skipReason ?? 'not-applicable' } : {}),
    dependsOn: c.dependsOn,
  };
}
