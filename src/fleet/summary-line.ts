// What every fleet format shares: the sink it writes to and the one-line summary of the whole fleet. Its own file so
// that render.ts (table, JSON, JUnit) and render-documents.ts (Markdown, HTML) both import it without importing each other.
import { STATUSES } from '../core/check.js';
import type { FleetHeader } from './fleet-report.js';

export type Sink = (chunk: string) => void;

export function fleetSummaryLine(h: FleetHeader): string {
  const t = h.targetSummary;
  const checks = STATUSES.map((s) => `${h.summary[s]} ${s}`).join(', ');
  const r = h.requests;
  const shard = h.shard
    ? ` (shard ${h.shard.index}/${h.shard.count})`
    : h.mergedShards.length
      ? ` (merged from ${h.mergedShards.length} shards)`
      : '';
  return (
    `${t.total} targets${shard}: ${t.total - t.withProblems} without problems, ${t.withProblems} with problems; checks: ${checks}; ` +
    `in ${(h.durationMs / 1000).toFixed(1)} s. Requests: ${r.tokenPosts.ropc} ROPC, ${r.tokenPosts.appOnly} app-only and ` +
    `${r.tokenPosts.admin} directory-reader token requests, ${r.graph} Graph requests (${r.graphBatchedReads} mailbox reads inside $batch), ` +
    `${r.groups} tenant/app group${r.groups === 1 ? '' : 's'}.`
  );
}
