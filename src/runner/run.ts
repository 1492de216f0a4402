// Runs a set of checks: dependencies first, independent checks concurrently, each under its time limit.
// Consulted checks do not delay a start: a check that needs their result waits for it in settled().
import type { Check, PrepareContext, SkipReason } from '../core/check.js';
import type { Clients } from '../clients/types.js';
import type { ResolvedConfig } from '../config/types.js';
import type { Logger } from '../core/log.js';
import type { Redactor } from '../core/redact.js';
import type { CheckResult } from '../core/result.js';
import type { RunEventListener } from './events.js';
import { applyExceptions } from './exceptions.js';
import { baseResult, executeCheck } from './execute.js';
import { planRun, predecessors, waitEdges, type SelectOptions } from './plan.js';

export interface RunOptions extends SelectOptions {
  checks: readonly Check[];
  config: ResolvedConfig;
  clients: Clients;
  redactor: Redactor;
  log: Logger;
  /** Per-check limit; defaults to config.timeoutMs. */
  timeoutMs?: number;
  onEvent?: RunEventListener;
  signal?: AbortSignal;
  /** Today's date (YYYY-MM-DD) for exception expiry; injectable for tests. */
  today?: string;
}

export interface RunOutcome {
  /** One result per check, in catalog order. */
  results: CheckResult[];
  /** Checks --only did not name but ran as dependencies of named ones. */
  pulledIn: string[];
}

/** A dependency lets its dependants run only when it passed or warned. */
const PROCEEDS = new Set(['pass', 'warn']);

export async function runChecks(opts: RunOptions): Promise<RunOutcome> {
  const plan = planRun(opts.checks, opts);
  const timeoutMs = opts.timeoutMs ?? opts.config.timeoutMs;
  const defaults = {
    tenant: opts.config.tenant,
    clientId: opts.config.clientId,
    username: opts.config.username,
    authorityHost: opts.config.endpoints.authorityHost,
    cloud: opts.config.cloud,
  };
  const results = new Map<string, CheckResult>();
  /** Status each check really reached (before accepted exceptions), which gates its dependants. */
  const gate = new Map<string, string>();

  /** Checks blocked in settled(id), woken when id finishes. */
  const waiters = new Map<string, ((result: CheckResult) => void)[]>();

  const finish = (result: CheckResult, rawStatus = result.status) => {
    gate.set(result.id, rawStatus);
    results.set(result.id, result);
    opts.onEvent?.({ type: 'checkFinished', result });
    for (const wake of waiters.get(result.id) ?? []) wake(result);
    waiters.delete(result.id);
  };
  const whenSettled = (id: string): Promise<CheckResult> => {
    const done = results.get(id);
    if (done) return Promise.resolve(done);
    return new Promise((resolve) => waiters.set(id, [...(waiters.get(id) ?? []), resolve]));
  };
  const skipped = (check: Check, reason: SkipReason, message: string): CheckResult => ({
    ...baseResult(check),
    status: 'skip',
    message,
    evidence: {},
    docsUrl: check.meta.docsUrl,
    skipReason: reason,
    dependsOn: [...check.meta.dependsOn],
    durationMs: 0,
  });

  // Not-selected checks are settled first so their dependants see them as skipped.
  for (const check of plan.order) {
    const sel = plan.selection.get(check.meta.id);
    if (sel === 'not-selected-only') finish(skipped(check, 'not-selected', 'Not selected (--only).'));
    if (sel === 'not-selected-skip') finish(skipped(check, 'not-selected', 'Not selected (--skip).'));
  }

  const pending = plan.order.filter((c) => !results.has(c.meta.id));
  const running = new Set<Promise<void>>();
  // Soft `after` edges and consults to checks outside this run are ignored: nothing will ever settle them.
  const inRun = (id: string) => plan.selection.get(id) === 'run';

  const willRun = plan.order.filter((c) => inRun(c.meta.id));

  // Before anything settles: checks that will run may start slow work that needs no result (e.g. pre-connect).
  prepareAll(willRun, { config: opts.config, clients: opts.clients, log: opts.log });

  const leadsOthers = startedAfterBySome(willRun);
  const startReady = () => {
    const ready: Check[] = [];
    for (let i = 0; i < pending.length;) {
      const check = pending[i]!; // in range: i < pending.length
      const waitsFor = predecessors(check).filter((id) => inRun(id) && !results.has(id));
      if (waitsFor.length) {
        i++;
        continue;
      }
      pending.splice(i, 1);
      const hard = check.meta.hardDependencies?.(opts.config) ?? check.meta.dependsOn;
      const blocker = hard.find((id) => !PROCEEDS.has(gate.get(id) ?? 'skip'));
      if (blocker) {
        finish(skipped(check, 'dependency-failed', blockedMessage(blocker, gate.get(blocker))));
        i = 0; // a settled skip may unblock checks earlier in the list
        continue;
      }
      ready.push(check);
    }
    // Checks that others start after go first. A check nothing waits for, started in the same turn, would put its
    // CPU work (building requests, reading answers) ahead of the request the rest of the run waits on: when one
    // that leads others is among them, the rest start one event-loop turn later.
    const urgent = ready.some((c) => leadsOthers.has(c.meta.id));
    for (const check of ready) {
      const later = urgent && !leadsOthers.has(check.meta.id);
      const task = (later ? nextTurn().then(() => runOne(check)) : runOne(check)).finally(() => running.delete(task));
      running.add(task);
    }
  };

  const runOne = async (check: Check) => {
    opts.onEvent?.({ type: 'checkStarted', id: check.meta.id, title: check.meta.title });
    const visible = new Set(waitEdges(check));
    const result = await executeCheck(
      check,
      {
        config: opts.config,
        clients: opts.clients,
        log: opts.log,
        upstream: (id) => (visible.has(id) && inRun(id) ? results.get(id) : undefined),
        settled: async (id) => (visible.has(id) && inRun(id) ? whenSettled(id) : undefined),
      },
      { timeoutMs, redactor: opts.redactor, defaults, signal: opts.signal },
    );
    finish(
      applyExceptions(
        result,
        opts.config.exceptions,
        opts.today ?? new Date().toISOString().slice(0, 10),
        opts.redactor,
      ),
      result.status,
    );
    startReady();
  };

  // The connections prepare() opened reach the wire one tick later (net.connect defers to the next tick): let
  // them go before the first checks' CPU work, so that work overlaps their round trips.
  await nextTurn();
  startReady();
  while (running.size) await Promise.race(running);

  return { results: opts.checks.map((c) => results.get(c.meta.id)!), pulledIn: plan.pulledIn };
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Ids of the checks that another check of the run starts after (its dependsOn or after names them). */
function startedAfterBySome(checks: readonly Check[]): Set<string> {
  const ids = new Set(checks.map((c) => c.meta.id));
  return new Set(checks.flatMap((c) => predecessors(c)).filter((id) => ids.has(id)));
}

/** prepare() is best effort: whatever a check does there (even throwing) never changes the run. */
function prepareAll(checks: readonly Check[], ctx: PrepareContext): void {
  for (const check of checks) {
    try {
      const returned: unknown = check.prepare?.(ctx);
      // A plugin may declare it async by mistake: its rejection must not become an unhandled one.
      if (returned instanceof Promise) returned.catch(() => undefined);
    } catch (err) {
      ctx.log.debug(`${check.meta.id}: prepare failed (ignored)`, {
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
}

function blockedMessage(dependency: string, status: string | undefined): string {
  const what = status === 'error' ? 'could not be checked (error)' : status === 'skip' ? 'was skipped' : 'failed';
  return `Skipped: depends on ${dependency}, which ${what}.`;
}
