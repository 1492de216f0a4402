// `npm run bench -- --rtt 40` (or the default sweep): the emulated tenant behind delay proxies, one per endpoint,
// so every request, mail command and connection set-up pays a round-trip time as on the internet. For each RTT:
// the check's process time against the curl chain through the same proxies, the run wall, its critical path,
// the round trips the run waited on one after another (counted from the proxies' flight logs), and a waterfall.
import { builtinChecks } from '../checks/index.js';
import type { RunningEmulator } from '../src/emulator/index.js';
import { startEmulator } from '../src/emulator/index.js';
import { curlChain } from './curl-chain.js';
import { startDelayProxy, type CriticalRoundTrip, type DelayProxy, type ProxiedConnection } from './delay-proxy.js';
import { median } from './measure.js';

export interface ProxiedTenant {
  /** The emulator as clients see it: every endpoint is a proxy. */
  view: RunningEmulator;
  proxies: DelayProxy[];
  stop(): Promise<void>;
}

const hostPort = (url: string) => {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port) };
};

/** Puts a delay proxy in front of each endpoint; the emulator's own documents then name the proxies. */
export async function proxyEmulator(e: RunningEmulator, rttMs: number): Promise<ProxiedTenant> {
  const [entra, graph, imap, pop, smtp] = await Promise.all([
    startDelayProxy({ service: 'entra', target: hostPort(e.authorityHost), rttMs }),
    startDelayProxy({ service: 'graph', target: hostPort(e.graphUrl), rttMs }),
    startDelayProxy({ service: 'imap', target: e.imap, rttMs }),
    startDelayProxy({ service: 'pop', target: e.pop, rttMs }),
    startDelayProxy({ service: 'smtp', target: e.smtp, rttMs }),
  ]);
  const graphPath = new URL(e.graphUrl).pathname.replace(/\/+$/, '');
  // Discovery documents are built from these fields on each request, so token endpoints point at the proxy too.
  e.authorityHost = `https://127.0.0.1:${entra.port}`;
  e.graphUrl = `https://127.0.0.1:${graph.port}${graphPath}`;
  const view = Object.assign(Object.create(Object.getPrototypeOf(e)) as RunningEmulator, e, {
    imap: { host: imap.host, port: imap.port },
    pop: { host: pop.host, port: pop.port },
    smtp: { host: smtp.host, port: smtp.port },
  });
  const proxies = [entra, graph, imap, pop, smtp];
  return {
    view,
    proxies,
    stop: async () => {
      await Promise.all(proxies.map((p) => p.close()));
    },
  };
}

/** Soft `after` edges of the built-in checks: the report lists dependsOn only. */
const AFTER = new Map(builtinChecks.map((c) => [c.meta.id, c.meta.after ?? []]));

/** The endpoints each check talks to (a Graph check's token comes from Entra). */
function servicesOf(id: string, category: string | undefined): string[] {
  if (id === 'exchange-app-access') return ['entra', 'imap', 'pop'];
  if (id.startsWith('imap')) return ['imap'];
  if (id.startsWith('pop')) return ['pop'];
  if (id.startsWith('smtp')) return ['smtp'];
  if (category === 'graph') return ['graph', 'entra'];
  return ['entra'];
}
const CATEGORY = new Map(builtinChecks.map((c) => [c.meta.id, c.meta.category as string]));

export interface WaterfallRow {
  id: string;
  status: string;
  startMs: number;
  endMs: number;
  /** On the run's critical path (longest chain by dependsOn and after). */
  critical: boolean;
  /** Round trips the check waited on: the longest series on one of its connections inside its window. */
  roundTrips: number;
  /** How long those round trips took, client bytes out to answer in (network and server time). */
  waitMs: number;
  waitedOn: string;
}

interface Report {
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  criticalPathMs: number;
  checks: Array<{ id: string; status: string; durationMs: number; dependsOn: string[] }>;
}

/** ms on the performance.now() clock the proxies use. */
const perfOf = (iso: string) => Date.parse(iso) - performance.timeOrigin;

/** What a round trip was: the emulator request it carried, else the TLS or protocol step. */
function label(rt: CriticalRoundTrip, e: RunningEmulator): string {
  if (rt.kind === 'setup') return `${rt.service} connect`;
  // The server logs a request when it answers, near the round trip's middle.
  const mid = (rt.sentAt + rt.answeredAt) / 2;
  const near = e.log.entries.filter(
    (x) => x.service === rt.service && perfOf(x.at) >= rt.sentAt - 2 && perfOf(x.at) <= rt.answeredAt + 2,
  );
  const hit = near.sort((a, b) => Math.abs(perfOf(a.at) - mid) - Math.abs(perfOf(b.at) - mid))[0];
  if (hit) return `${rt.service} ${hit.method} ${hit.target.split('?')[0]}`.trim();
  const http = rt.service === 'entra' || rt.service === 'graph';
  return `${rt.service} ${http && rt.index === 1 ? 'TLS handshake' : `exchange ${rt.index}`}`;
}

/**
 * The waterfall, and the round trips on the critical path. A check ends when its progress line arrives and
 * started its duration earlier; the critical path walks back from the last check through the predecessor
 * (dependsOn or after) that ended last. Within a connection, round trips are causal (each waits
 * for the one before), so a check's count is the longest series of them on one of its connections that fall
 * inside its window (answered in it, and mostly after its start), independent of CPU time in between; the
 * critical path's count is the sum along that chain of checks.
 */
export function analyse(
  report: Report,
  conns: readonly ProxiedConnection[],
  e: RunningEmulator,
  slackMs: number,
  seenEnds: ReadonlyMap<string, number>,
): { rows: WaterfallRow[]; criticalRoundTrips: number; criticalWaitMs: number } {
  const t0 = perfOf(report.startedAt);
  const byId = new Map(report.checks.map((c) => [c.id, c]));
  const ran = (id: string) => byId.has(id) && byId.get(id)!.status !== 'skip';
  const ends = new Map<string, { end: number; via?: string }>();
  // Each check's end as its progress line arrived, else (no line seen) the end of what it waited for plus its
  // duration; the predecessor that ended last is the one it waited for.
  const endOf = (id: string): { end: number; via?: string } => {
    const known = ends.get(id);
    if (known) return known;
    const c = byId.get(id)!;
    let via: string | undefined;
    let start = 0;
    for (const p of [...c.dependsOn, ...(AFTER.get(id) ?? [])].filter(ran)) {
      const pe = endOf(p).end;
      if (pe >= start) {
        start = pe;
        via = p;
      }
    }
    const seen = seenEnds.get(id);
    const v = { end: seen !== undefined ? seen - t0 : start + c.durationMs, via };
    ends.set(id, v);
    return v;
  };
  const ids = report.checks.filter((c) => ran(c.id)).map((c) => c.id);
  let last = ids[0];
  for (const id of ids) if (endOf(id).end > endOf(last).end) last = id;
  const critical = new Set<string>();
  for (let id: string | undefined = last; id; id = endOf(id).via) critical.add(id);

  const rows = ids
    .map((id) => {
      const c = byId.get(id)!;
      const endMs = endOf(id).end;
      const startMs = endMs - c.durationMs;
      const services = servicesOf(id, CATEGORY.get(id));
      let best: CriticalRoundTrip[] = [];
      conns.forEach((cn, conn) => {
        if (!services.includes(cn.service)) return;
        const series = [
          { ...cn.setup, kind: 'setup' as const, index: 0 },
          ...cn.flights.map((f, i) => ({ ...f, kind: 'exchange' as const, index: i + 1 })),
        ]
          .map((f) => ({ ...f, service: cn.service, conn }))
          // Waited on: answered inside the window, with most of it after the start. A connection a pre-connect
          // opened just before the check started counts; an answer that lands early in the window after a round
          // trip spent mostly before it (waited on by the check before) does not.
          .filter((f) => (f.sentAt + f.answeredAt) / 2 - t0 >= startMs && f.answeredAt - t0 <= endMs + slackMs);
        if (
          series.length > best.length ||
          (series.length === best.length && (series.at(-1)?.answeredAt ?? 0) > (best.at(-1)?.answeredAt ?? 0))
        )
          best = series;
      });
      return {
        id,
        status: c.status,
        startMs,
        endMs,
        critical: critical.has(id),
        roundTrips: best.length,
        // Only the part after the check's start is its wait.
        waitMs: best.reduce((ms, rt) => ms + (rt.answeredAt - Math.max(rt.sentAt, t0 + startMs)), 0),
        waitedOn: best.length ? best.map((rt) => label(rt, e)).join(', ') : '-',
      };
    })
    .sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
  const chain = rows.filter((r) => r.critical);
  return {
    rows,
    criticalRoundTrips: chain.reduce((n, r) => n + r.roundTrips, 0),
    criticalWaitMs: chain.reduce((ms, r) => ms + r.waitMs, 0),
  };
}

export interface LatencyResult {
  rttMs: number;
  runs: number;
  checkProcessMs: number;
  curlChainMs: number;
  ratio: number;
  runWallMs: number;
  criticalPathMs: number;
  criticalRoundTrips: number;
  /** Each run's count, in run order: the median hides whether a loaded machine let a parallel chain slip behind. */
  roundTripSamples: number[];
  /**
   * Of the critical path, the time its round trips took (network and server; median of the runs): the rest is
   * the CLI's own time between them.
   */
  criticalWaitMs: number;
  /** (critical path at this RTT - at RTT 0) / RTT, when the sweep has RTT 0: the round trips the timings imply. */
  impliedRoundTrips?: number;
  waterfall: WaterfallRow[];
}

export async function latencyRun(
  rttMs: number,
  runs: number,
  check: (
    e: RunningEmulator,
  ) => Promise<{ ms: number; stdout: string; code: number | null; stderr: string; ends: ReadonlyMap<string, number> }>,
): Promise<LatencyResult> {
  const e = await startEmulator();
  const px = await proxyEmulator(e, rttMs);
  try {
    // Timer and scheduling slack when matching round trips to a check's window.
    const slack = Math.max(2, rttMs / 8);
    await check(px.view); // warm the file cache
    await curlChain(px.view);
    const samples: Array<{ ms: number; curl: number; report: Report; roundTrips: number; waitMs: number }> = [];
    for (let i = 0; i < runs; i++) {
      for (const p of px.proxies) p.connections.length = 0;
      e.log.clear();
      const r = await check(px.view);
      if (r.code !== 0) throw new Error(`check failed (${r.code}) at RTT ${rttMs} ms: ${r.stderr}`);
      const report = JSON.parse(r.stdout) as Report;
      const { criticalRoundTrips, criticalWaitMs } = analyse(
        report,
        px.proxies.flatMap((p) => p.connections),
        e,
        slack,
        r.ends,
      );
      // Interleaved: the curl chain runs between checks, so load elsewhere hits both alike.
      samples.push({
        ms: r.ms,
        report,
        roundTrips: criticalRoundTrips,
        waitMs: criticalWaitMs,
        curl: await curlChain(px.view),
      });
    }
    const result = {
      rttMs,
      runs,
      checkProcessMs: median(samples.map((s) => s.ms)),
      curlChainMs: median(samples.map((s) => s.curl)),
      runWallMs: median(samples.map((s) => s.report.durationMs)),
      criticalPathMs: median(samples.map((s) => s.report.criticalPathMs)),
      criticalRoundTrips: median(samples.map((s) => s.roundTrips)),
      roundTripSamples: samples.map((s) => s.roundTrips),
      criticalWaitMs: Math.round(median(samples.map((s) => s.waitMs))),
      waterfall: [] as WaterfallRow[],
    };
    // Labels need the emulator log of the run alone: one more run, not timed, for the waterfall.
    for (const p of px.proxies) p.connections.length = 0;
    e.log.clear();
    const r = await check(px.view);
    const report = JSON.parse(r.stdout) as Report;
    result.waterfall = analyse(
      report,
      px.proxies.flatMap((p) => p.connections),
      e,
      slack,
      r.ends,
    ).rows;
    return { ...result, ratio: result.checkProcessMs / result.curlChainMs };
  } finally {
    await px.stop();
    await e.stop();
  }
}
