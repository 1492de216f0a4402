// Assembles the one RunReport every reporter reads, with its summary and critical path.
import { endpointValues } from '../config/validate.js';
import { STATUSES, type Status } from '../core/check.js';
import type { ResolvedConfig } from '../config/types.js';
import { runEnvironment } from './environment.js';
import type { Redactor } from '../core/redact.js';
import type { CheckResult, ReportTarget, RunReport } from '../core/result.js';

export interface ReportInput {
  version: string;
  config: ResolvedConfig;
  results: CheckResult[];
  startedAt: Date;
  finishedAt: Date;
  /** Soft ordering edges (after, not consults) per check id, for the critical path; dependsOn comes from the results. */
  after?: Record<string, readonly string[]>;
  redactor: Redactor;
}

export function buildReport(input: ReportInput): RunReport {
  const report: RunReport = {
    schemaVersion: 2,
    tool: { name: 'm365-doctor', version: input.version },
    environment: runEnvironment(),
    target: reportTarget(input.config),
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    durationMs: Math.max(0, input.finishedAt.getTime() - input.startedAt.getTime()),
    criticalPathMs: criticalPathMs(input.results, input.after ?? {}),
    summary: summarize(input.results),
    checks: input.results,
  };
  // Strings are scrubbed when results are made; this second pass guards everything else.
  return input.redactor.scrubValue(report);
}

export function reportTarget(config: ResolvedConfig): ReportTarget {
  return {
    cloud: config.cloud,
    tenant: config.tenant,
    clientId: config.clientId,
    username: config.username,
    activities: [...config.activities],
    profile: config.profile,
    endpoints: endpointValues(config.endpoints),
  };
}

export function summarize(results: readonly CheckResult[]): Record<Status, number> {
  const summary = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const r of results) summary[r.status]++;
  return summary;
}

/**
 * Longest chain of ordered checks by their durations: no scheduler could finish the run faster.
 * Only dependsOn and after edges count. Consults do not order: a consulting check starts without its consulted
 * ones, and when it does wait for one (in settled()) that wait is inside its own durationMs already.
 */
export function criticalPathMs(results: readonly CheckResult[], after: Record<string, readonly string[]>): number {
  const byId = new Map(results.map((r) => [r.id, r]));
  const memo = new Map<string, number>();
  const longest = (id: string, seen: Set<string>): number => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const r = byId.get(id);
    if (!r || seen.has(id)) return 0;
    seen.add(id);
    const preds = [...r.dependsOn, ...(after[id] ?? [])];
    const value = r.durationMs + Math.max(0, ...preds.map((p) => longest(p, seen)));
    seen.delete(id);
    memo.set(id, value);
    return value;
  };
  return Math.max(0, ...results.map((r) => longest(r.id, new Set())));
}
