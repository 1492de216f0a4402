// `npm run bench -- --rtt 40` (or the default sweep): the emulated tenant behind delay proxies, one per endpoint,
// so every request, mail command and connection set-up pays a round-trip time as on the internet. For each RTT:
// the check's process time against the curl chain through the same proxies, the run wall, its critical path,
// the round trips the run waited on one after another (counted from the proxies' flight logs), and a waterfall.
import type { RunningEmulator } from '../src/emulator/index.js';
import { startEmulator } from '../src/emulator/index.js';
import { curlChain } from './curl-chain.js';
import { criticalRoundTrips, startDelayProxy, type CriticalRoundTrip, type DelayProxy } from './delay-proxy.js';
import { median } from './measure.js';

export interface ProxiedTenant {
  /** The emulator as clients see it: every endpoint is a proxy. */
  view: RunningEmulator;
  proxies: DelayProxy[];
  stop(): Promise<void>;
}

const hostPort = (url: string) => { const u = new URL(url); return { host: u.hostname, port: Number(u.port) }; };

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
    imap: { host: imap.host, port: imap.port }, pop: { host: pop.host, port: pop.port }, smtp: { host: smtp.host, port: smtp.port },
  });
  const proxies = [entra, graph, imap, pop, smtp];
  return { view, proxies, stop: async () => { await Promise.all(proxies.map((p) => p.close())); } };
}

export interface WaterfallRow { id: string; status: string; startMs: number; endMs: number; waitedOn: string }

interface Report { startedAt: string; finishedAt: string; durationMs: number; criticalPathMs: number;
  checks: Array<{ id: string; status: string; durationMs: number; dependsOn: string[] }> }

/** ms on the performance.now() clock the proxies use. */
const perfOf = (iso: string) => Date.parse(iso) - performance.timeOrigin;

/** What a round trip was: the emulator request it carried, else the TLS or protocol step. */
function label(rt: CriticalRoundTrip, e: RunningEmulator): string {
  if (rt.kind === 'setup') return `${rt.service} connect`;
  // The server logs a request when it arrives, midway through the round trip.
  const mid = (rt.sentAt + rt.answeredAt) / 2;
  const near = e.log.entries.filter((x) => x.service === rt.service && perfOf(x.at) >= rt.sentAt - 2 && perfOf(x.at) <= rt.answeredAt + 2);
  const hit = near.sort((a, b) => Math.abs(perfOf(a.at) - mid) - Math.abs(perfOf(b.at) - mid))[0];
  if (hit) return `${rt.service} ${hit.method} ${hit.target.split('?')[0]}`;
  const http = rt.service === 'entra' || rt.service === 'graph';
  return `${rt.service} ${http && rt.index === 1 ? 'TLS handshake' : `exchange ${rt.index}`}`;
}

/**
 * Check starts follow from the scheduler: a check starts when the last check it depends on ends. The request it
 * waited on is the critical round trip answered last inside its window.
 */
function waterfall(report: Report, chain: CriticalRoundTrip[], e: RunningEmulator): WaterfallRow[] {
  const t0 = perfOf(report.startedAt);
  const ends = new Map<string, number>();
  const byId = new Map(report.checks.map((c) => [c.id, c]));
  const endOf = (id: string): number => {
    const known = ends.get(id);
    if (known !== undefined) return known;
    const c = byId.get(id);
    if (!c) return 0;
    const end = Math.max(0, ...c.dependsOn.map(endOf)) + c.durationMs;
    ends.set(id, end);
    return end;
  };
  return report.checks.filter((c) => c.status !== 'skip').map((c) => {
    const endMs = endOf(c.id);
    const startMs = endMs - c.durationMs;
    const inside = chain.filter((rt) => rt.answeredAt - t0 <= endMs + 2 && rt.answeredAt - t0 >= startMs - 2);
    const last = inside.at(-1);
    return { id: c.id, status: c.status, startMs, endMs, waitedOn: last ? label(last, e) : '-' };
  }).sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
}

export interface LatencyResult {
  rttMs: number; runs: number;
  checkProcessMs: number; curlChainMs: number; ratio: number; runWallMs: number; criticalPathMs: number;
  criticalRoundTrips: number;
  /** The round trips of the waterfall run's chain, in order. */
  chain: string[];
  waterfall: WaterfallRow[];
}

export async function latencyRun(rttMs: number, runs: number, check: (e: RunningEmulator) => Promise<{ ms: number; stdout: string; code: number | null; stderr: string }>): Promise<LatencyResult> {
  const e = await startEmulator();
  const px = await proxyEmulator(e, rttMs);
  try {
    await check(px.view); // warm the file cache
    await curlChain(px.view);
    const samples: Array<{ ms: number; curl: number; report: Report; chain: CriticalRoundTrip[] }> = [];
    for (let i = 0; i < runs; i++) {
      for (const p of px.proxies) p.connections.length = 0;
      e.log.clear();
      const r = await check(px.view);
      if (r.code !== 0) throw new Error(`check failed (${r.code}) at RTT ${rttMs} ms: ${r.stderr}`);
      const report = JSON.parse(r.stdout) as Report;
      const chain = criticalRoundTrips(px.proxies.flatMap((p) => p.connections), perfOf(report.startedAt), perfOf(report.finishedAt),
        Math.min(1, rttMs / 4));
      // Interleaved: the curl chain runs between checks, so load elsewhere hits both alike.
      samples.push({ ms: r.ms, report, chain, curl: await curlChain(px.view) });
    }
    const result = {
      rttMs, runs,
      checkProcessMs: median(samples.map((s) => s.ms)), curlChainMs: median(samples.map((s) => s.curl)),
      runWallMs: median(samples.map((s) => s.report.durationMs)), criticalPathMs: median(samples.map((s) => s.report.criticalPathMs)),
      criticalRoundTrips: median(samples.map((s) => s.chain.length)),
      chain: [] as string[], waterfall: [] as WaterfallRow[],
    };
    // Labels need the emulator log of the run alone: one more run, not timed, for the waterfall.
    for (const p of px.proxies) p.connections.length = 0;
    e.log.clear();
    const r = await check(px.view);
    const report = JSON.parse(r.stdout) as Report;
    const chain = criticalRoundTrips(px.proxies.flatMap((p) => p.connections), perfOf(report.startedAt), perfOf(report.finishedAt), Math.min(1, rttMs / 4));
    const t0 = perfOf(report.startedAt);
    result.chain = chain.map((rt) => `${label(rt, e)} [${Math.round(rt.sentAt - t0)}-${Math.round(rt.answeredAt - t0)}]`);
    result.waterfall = waterfall(report, chain, e);
    return { ...result, ratio: result.checkProcessMs / result.curlChainMs };
  } finally {
    await px.stop();
    await e.stop();
  }
}
