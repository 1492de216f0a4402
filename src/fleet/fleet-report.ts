// The combined report of a fleet run (schemas/fleet-report.schema.json): a header with totals, then one
// section per target holding exactly the single-run JSON report (schemas/report.schema.json).
import { STATUSES, type Status } from '../core/check.js';
import type { RunReport } from '../core/result.js';
import type { Shard } from './shard.js';

/** One target's section. `report` has the public JSON shape: code/remediation null when absent. */
export interface FleetTargetEntry {
  index: number;
  name: string;
  report: RunReport;
}

export interface FleetRequests {
  /** Token endpoint POSTs by flow, as counted by this tool's own brokers. */
  tokenPosts: { ropc: number; appOnly: number; admin: number };
  /** Graph HTTP requests sent (retries and $batch POSTs included). */
  graph: number;
  /** Reads answered inside $batch requests (one per mailbox when batching works; the rest were read alone). */
  graphBatchedReads: number;
  /** Groups of targets sharing tenant, app and endpoints (one set of shared tokens and reads each). */
  groups: number;
  /** Responses that asked for a slow-down (HTTP 429, or 503 with Retry-After). */
  throttled: number;
}

export interface FleetHeader {
  schemaVersion: 1;
  kind: 'fleet';
  tool: { name: 'm365-doctor'; version: string };
  environment: RunReport['environment'];
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  concurrency: number | null;
  /** The slice this run checked (--shard), or null for all targets (and for merged reports). */
  shard: Shard | null;
  /** Shards combined by `m365-doctor merge`; empty for a direct run. */
  mergedShards: Shard[];
  targetSummary: { total: number; withProblems: number };
  /** Check statuses over every target. */
  summary: Record<Status, number>;
  requests: FleetRequests;
  /** Accounts named by several targets: one password attempt was made for each, its outcome shared. Absent when none. */
  sharedAccounts?: { username: string; targets: string[] }[];
}

export interface FleetReport extends FleetHeader {
  targets: FleetTargetEntry[];
}

export function emptySummary(): Record<Status, number> {
  return Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
}

/** A target has problems when a check failed or errored (what makes the exit code 1). */
export function hasProblems(report: Pick<RunReport, 'summary'>): boolean {
  return report.summary.fail > 0 || report.summary.error > 0;
}

/** Adds one target's statuses to the running totals. */
export function addTarget(
  header: Pick<FleetHeader, 'summary' | 'targetSummary'>,
  report: Pick<RunReport, 'summary'>,
): void {
  header.targetSummary.total++;
  if (hasProblems(report)) header.targetSummary.withProblems++;
  for (const s of STATUSES) header.summary[s] += report.summary[s] ?? 0;
}
