// Runs the checks for many targets with bounded concurrency. Targets of one group share tokens and reads;
// each finished target is written to the spool and its clients, tokens and mail sessions are let go.
import { setMaxListeners } from 'node:events';
import type { Check } from '../core/check.js';
import type { InputLayer } from '../config/inputs.js';
import { resolveConfig } from '../config/resolve.js';
import type { ResolvedConfig } from '../config/types.js';
import { ConfigError } from '../core/errors.js';
import { runEnvironment } from '../runner/environment.js';
import { Redactor } from '../core/redact.js';
import { createLogger, type LogLevel } from '../output/logger.js';
import { publicReport } from '../../reporters/json.js';
import { buildReport } from '../runner/report.js';
import { runChecks } from '../runner/run.js';
import type { RunReport } from '../core/result.js';
import { AccountAttempts, sharedAccounts, type SharedAccount } from './account-attempts.js';
import { ChainedRedactor } from './chained-redactor.js';
import { addTarget, emptySummary, type FleetHeader, type FleetTargetEntry } from './fleet-report.js';
import { createGroup, groupKey, type FleetGroup } from './group.js';
import { forEachBounded } from './pool.js';
import type { Shard } from './shard.js';
import { TargetSpool } from './spool.js';
import { createTargetClients } from './target-clients.js';
import type { FleetTargetSpec } from './targets-file.js';

export const DEFAULT_CONCURRENCY = 8;

export interface FleetRunOptions {
  targets: readonly FleetTargetSpec[];
  /** Layers below every target's own (e.g. --ca-file or --timeout given as flags). */
  commonLayers?: InputLayer[];
  checks: readonly Check[];
  concurrency?: number;
  only?: string[];
  skip?: string[];
  shard?: Shard;
  version: string;
  /** Parent of every group's redactor (the process redactor in the CLI). */
  redactor: Redactor;
  logLevel?: LogLevel;
  signal?: AbortSignal;
  /** Called before any target runs, for each account that several targets name (they share one password attempt). */
  onSharedAccount?(account: SharedAccount): void;
  /** Called as each target finishes, in finishing order. */
  onTarget?(entry: FleetTargetEntry, done: number, total: number): void;
}

export interface FleetRun {
  header: FleetHeader;
  /** Finished targets; dispose() when the reports are written. */
  spool: TargetSpool;
}

/** Resolves and validates every target before any network call; a bad one stops the run (exit 2). */
export function resolveTargets(targets: readonly FleetTargetSpec[], common: InputLayer[] = []): ResolvedConfig[] {
  return targets.map((t) => {
    const scratch = new Redactor();
    try {
      return resolveConfig([...t.layers, ...common], scratch).config;
    } catch (err) {
      if (err instanceof ConfigError)
        throw new ConfigError(scratch.scrub(err.field), scratch.scrub(err.problem), err.fix);
      throw err;
    }
  });
}

/**
 * Every target's secrets go to the fleet's own redactor, not only to that target's: a server may echo one
 * target's password into another target's answer (a token endpoint quoting the previous POST).
 */
export function registerTargetSecrets(redactor: Redactor, configs: readonly ResolvedConfig[]): void {
  for (const c of configs) {
    redactor.add(c.password?.reveal());
    redactor.add(c.clientSecret?.reveal());
    if (c.admin?.kind === 'client-secret') redactor.add(c.admin.clientSecret.reveal());
  }
}

/** The secrets of targets outside this shard, as far as they resolve: another shard's server may echo them too. */
export function registerOtherTargetSecrets(
  redactor: Redactor,
  targets: readonly FleetTargetSpec[],
  common: InputLayer[] = [],
): void {
  for (const t of targets) {
    try {
      registerTargetSecrets(redactor, resolveTargets([t], common));
    } catch {
      // A target outside this shard that does not resolve is that shard's error to report.
    }
  }
}

export async function runFleet(opts: FleetRunOptions): Promise<FleetRun> {
  const configs = resolveTargets(opts.targets, opts.commonLayers);
  registerTargetSecrets(opts.redactor, configs);
  // In range: resolveTargets maps the targets one to one.
  const jobs = opts.targets.map((spec, i) => ({ spec, config: configs[i]! }));
  const concurrency = opts.concurrency ?? DEFAULT_CONCURRENCY;
  const groups = new Map<string, FleetGroup>();
  const after = Object.fromEntries(opts.checks.map((c) => [c.meta.id, c.meta.after ?? []]));
  const level = opts.logLevel ?? 'silent';
  const startedAt = new Date();
  const header: FleetHeader = {
    schemaVersion: 1,
    kind: 'fleet',
    tool: { name: 'm365-doctor', version: opts.version },
    environment: runEnvironment(),
    startedAt: startedAt.toISOString(),
    finishedAt: '',
    durationMs: 0,
    concurrency,
    shard: opts.shard ?? null,
    mergedShards: [],
    targetSummary: { total: 0, withProblems: 0 },
    summary: emptySummary(),
    requests: {
      tokenPosts: { ropc: 0, appOnly: 0, admin: 0 },
      graph: 0,
      graphBatchedReads: 0,
      groups: 0,
      throttled: 0,
    },
  };
  const accounts = new AccountAttempts();
  const shared = sharedAccounts(jobs.map(({ spec, config }) => ({ name: spec.name, config })));
  if (shared.length) header.sharedAccounts = shared;
  for (const a of shared) opts.onSharedAccount?.(a);
  const spool = new TargetSpool();
  // Every running check listens on the run's signal: allow that many listeners, not more.
  if (opts.signal) setMaxListeners(concurrency * opts.checks.length + 10, opts.signal);

  const runTarget = async ({ spec, config }: (typeof jobs)[number]) => {
    // After Ctrl-C no new target starts; the report holds the targets that were checked.
    if (opts.signal?.aborted) return;
    const key = groupKey(config);
    let group = groups.get(key);
    if (!group) {
      const groupRedactor = new ChainedRedactor(opts.redactor);
      group = createGroup(key, config, {
        redactor: groupRedactor,
        log: createLogger(level, groupRedactor),
        signal: opts.signal,
      });
      groups.set(key, group);
    }
    const redactor = new ChainedRedactor(group.redactor);
    const log = createLogger(level, redactor);
    const clients = createTargetClients(config, group, {
      redactor,
      log,
      signal: opts.signal,
      accounts,
      name: spec.name,
    });
    const started = new Date();
    const { results } = await runChecks({
      checks: opts.checks,
      config,
      clients,
      redactor,
      log,
      signal: opts.signal,
      only: opts.only,
      skip: opts.skip,
    }).finally(() => clients.close());
    const report = buildReport({
      version: opts.version,
      config,
      results,
      startedAt: started,
      finishedAt: new Date(),
      after,
      redactor,
    });
    header.requests.tokenPosts.ropc += clients.ownTokenPosts();
    header.requests.graph += clients.ownGraphRequests();
    const entry: FleetTargetEntry = { index: spec.index, name: spec.name, report: publicShape(report) };
    spool.add(entry);
    addTarget(header, report);
    opts.onTarget?.(entry, spool.count, opts.targets.length);
  };

  try {
    await forEachBounded(jobs, concurrency, runTarget);
  } catch (err) {
    spool.dispose();
    throw err;
  }
  for (const g of groups.values()) {
    const posts = g.tokens.tokenPosts;
    header.requests.tokenPosts.appOnly += posts['app-graph'] + posts['app-exchange'];
    header.requests.tokenPosts.admin += posts.admin;
    header.requests.tokenPosts.ropc += posts.ropc;
    header.requests.graph += g.graph.sent + g.batcher.batches;
    header.requests.graphBatchedReads += g.batcher.served;
    header.requests.throttled += g.transport.stats.throttled;
  }
  header.requests.groups = groups.size;
  const finishedAt = new Date();
  header.finishedAt = finishedAt.toISOString();
  header.durationMs = finishedAt.getTime() - startedAt.getTime();
  return { header, spool };
}

/** The single-run JSON contract for a target's section (the JSON reporter's shape, root causes and coverage included). */
function publicShape(report: RunReport): RunReport {
  return publicReport(report) as unknown as RunReport;
}
