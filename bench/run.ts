// `npm run bench`: start-up, one full check against curl doing the same protocol work, and fleets of 10,
// 100 and 1,000 mailboxes over 5 emulated tenants. Prints a table and writes bench/results.json.
// Options: --sizes 10,100 (fleet sizes), --concurrency N (fleet), --runs N (start-up samples), --out FILE.
// Latency: every run also sweeps RTT 0/40/100 ms through delay proxies (bench/latency.ts). --rtt 40 (or 0,40)
// runs only that sweep; with --fleet, also a fleet (--mailboxes 1000, --tenants 50) behind proxies of that RTT.
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { demoEnv } from '../src/cli/demo.js';
import { startEmulator, type RunningEmulator } from '../src/emulator/index.js';
import { curlChain } from './curl-chain.js';
import { requestCounts, startFleetFixture } from './fleet-fixture.js';
import { latencyRun, type LatencyResult } from './latency.js';
import { median, repeat, runProcess } from './measure.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'm365-doctor.js');
const node = process.execPath;

const { values: opt } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10,100,1000' },
    tenants: { type: 'string' },
    concurrency: { type: 'string', default: '32' },
    runs: { type: 'string', default: '10' },
    out: { type: 'string' },
    rtt: { type: 'string' },
    'latency-runs': { type: 'string', default: '5' },
    fleet: { type: 'boolean', default: false },
    mailboxes: { type: 'string', default: '1000' },
  },
});

function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('M365_DOCTOR_')) env[k] = v;
  return { ...env, NO_COLOR: '1', ...extra };
}

function emulatorEnv(e: RunningEmulator): NodeJS.ProcessEnv {
  return cleanEnv(demoEnv(e));
}

async function startup(runs: number) {
  const nodeMs: number[] = [];
  const versionMs: number[] = [];
  // Interleaved, so a burst of load elsewhere hits both sides alike.
  for (let i = 0; i < runs; i++) {
    nodeMs.push((await runProcess(node, ['-e', '0'])).ms);
    const v = await runProcess(node, [BIN, '--version'], { env: cleanEnv() });
    if (v.code !== 0) throw new Error(`--version failed: ${v.stderr}`);
    versionMs.push(v.ms);
  }
  const result = { nodeMs: median(nodeMs), versionMs: median(versionMs) };
  return { ...result, ratio: result.versionMs / result.nodeMs, target: 3 };
}

async function fullCheck(runs: number) {
  const e = await startEmulator();
  try {
    const env = emulatorEnv(e);
    const check = () => runProcess(node, [BIN, 'check', '--format', 'json', '--quiet'], { env });
    await check(); // warm the file cache, as a pipeline's second run would be
    await curlChain(e);
    const checkMs: number[] = [];
    const curlMs: number[] = [];
    const runMs: number[] = [];
    const criticalMs: number[] = [];
    const sumMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const r = await check();
      if (r.code !== 0) throw new Error(`check failed (${r.code}): ${r.stderr}`);
      const report = JSON.parse(r.stdout) as {
        durationMs: number;
        criticalPathMs: number;
        checks: Array<{ durationMs: number }>;
      };
      sumMs.push(report.checks.reduce((t, c) => t + c.durationMs, 0));
      checkMs.push(r.ms);
      runMs.push(report.durationMs);
      criticalMs.push(report.criticalPathMs);
      curlMs.push(await curlChain(e));
    }
    const demo = await repeat(Math.max(3, runs >> 1), () =>
      runProcess(node, [BIN, 'check', '--demo', '--format', 'json', '--quiet'], { env: cleanEnv() }),
    );
    const result = {
      checkProcessMs: median(checkMs),
      curlChainMs: median(curlMs),
      reportDurationMs: median(runMs),
      criticalPathMs: median(criticalMs),
      sumOfChecksMs: median(sumMs),
      demoProcessMs: median(demo.map((d) => d.ms)),
    };
    return { ...result, ratio: result.checkProcessMs / result.curlChainMs, target: 2 };
  } finally {
    await e.stop();
  }
}

async function fleet(mailboxes: number, tenants: number, concurrency: number, rttMs?: number) {
  const fx = await startFleetFixture({ tenants, mailboxes, rttMs });
  try {
    for (const e of fx.emulators) e.log.clear();
    const emulatorCpu = process.cpuUsage();
    const r = await runProcess(
      node,
      [BIN, 'check', '--targets', fx.targetsFile, '--concurrency', String(concurrency), '--format', 'json', '--quiet'],
      { env: cleanEnv(fx.env), rss: true },
    );
    if (r.code !== 0 && r.code !== 1) throw new Error(`fleet run failed (${r.code}): ${r.stderr}`);
    const report = JSON.parse(r.stdout) as {
      targetSummary: { total: number; withProblems: number };
      durationMs: number;
      requests: unknown;
    };
    const wire = requestCounts(fx.emulators);
    const used = process.cpuUsage(emulatorCpu);
    return {
      mailboxes,
      tenants,
      concurrency,
      ...(rttMs !== undefined ? { rttMs } : {}),
      wallMs: Math.round(r.ms),
      runMs: report.durationMs,
      peakRssMb: Math.round(r.peakRssMb ?? 0),
      // CPU seconds of the CLI process and of this process (the emulators): what the run costs without other load.
      cliCpuS: Number((r.cpuSeconds ?? NaN).toFixed(1)),
      emulatorCpuS: Number(((used.user + used.system) / 1e6).toFixed(1)),
      targets: report.targetSummary,
      wire,
      toolCounted: report.requests,
    };
  } finally {
    await fx.stop();
  }
}

function machine() {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    ramGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadAverage1m: Number(loadavg()[0].toFixed(2)),
    date: new Date().toISOString(),
  };
}

function fmt(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
const met = (ok: boolean) => (ok ? 'yes' : 'NO');

/** One check run; its progress lines (stderr, one as each check ends) give the checks' end times. */
async function checkAt(e: RunningEmulator) {
  const ends = new Map<string, number>();
  const r = await runProcess(node, [BIN, 'check', '--format', 'json'], {
    env: emulatorEnv(e),
    onStderrLine: (line, at) => {
      const id = /\(([a-z0-9-]+)\)(?: \S+ m?s)?(?::|$)/.exec(line)?.[1];
      if (id) ends.set(id, at);
    },
  });
  return { ...r, ends };
}

async function latencySweep(rtts: number[]): Promise<LatencyResult[]> {
  const out: LatencyResult[] = [];
  for (const rtt of rtts) {
    process.stderr.write(
      `bench: check vs curl chain at RTT ${rtt} ms (${opt['latency-runs']} runs each, interleaved)...\n`,
    );
    out.push(await latencyRun(rtt, Number(opt['latency-runs']), checkAt));
  }
  const zero = out.find((l) => l.rttMs === 0);
  for (const l of out)
    if (zero && l.rttMs > 0)
      l.impliedRoundTrips = Number(((l.criticalPathMs - zero.criticalPathMs) / l.rttMs).toFixed(1));
  return out;
}

function latencyRows(results: LatencyResult[]): string[][] {
  return results.map((l) => [
    `RTT ${l.rttMs} ms: check (process) vs curl chain; run wall / critical path; round trips on it`,
    `${fmt(l.checkProcessMs)} vs ${fmt(l.curlChainMs)} = ${l.ratio.toFixed(2)}x; ${fmt(l.runWallMs)} / ${fmt(l.criticalPathMs)}; ${l.rttMs ? `${l.criticalRoundTrips} [${l.roundTripSamples.join(' ')}]${l.impliedRoundTrips !== undefined ? ` (timings imply ${l.impliedRoundTrips})` : ''}, waited ${fmt(l.criticalWaitMs)} of the critical path` : '-'}`,
    l.rttMs >= 40 ? '<= 0.5x, <= 9 round trips' : '',
    l.rttMs >= 40 ? met(l.ratio <= 0.5 && l.criticalRoundTrips <= 9) : '',
  ]);
}

function printTable(rows: string[][]): void {
  const width = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(width[i])).join(' | ')} |`;
  process.stdout.write(
    `${[line(rows[0]), `|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n')}\n`,
  );
}

function printWaterfalls(results: LatencyResult[]): void {
  for (const l of results.filter((r) => r.rttMs > 0)) {
    process.stdout.write(`\nRTT ${l.rttMs} ms waterfall (one run; * = on the critical path):\n`);
    printTable([
      ['check', 'status', 'start', 'end', 'round trips', 'their time', 'waited on'],
      ...l.waterfall.map((w) => [
        `${w.critical ? '* ' : '  '}${w.id}`,
        w.status,
        fmt(w.startMs),
        fmt(w.endMs),
        String(w.roundTrips),
        fmt(w.waitMs),
        w.waitedOn,
      ]),
    ]);
  }
}

/** --rtt mode: the latency sweep alone, and with --fleet a fleet behind proxies of the first RTT. */
async function latencyOnly(rtts: number[]) {
  const before = machine();
  const latency = await latencySweep(rtts);
  const fleets = [];
  if (opt.fleet) {
    const mailboxes = Number(opt.mailboxes);
    const tenants = Number(opt.tenants ?? 50);
    process.stderr.write(`bench: fleet of ${mailboxes} mailboxes over ${tenants} tenants at RTT ${rtts[0]} ms...\n`);
    fleets.push(await fleet(mailboxes, tenants, Number(opt.concurrency), rtts[0]));
  }
  const out = opt.out ?? join(ROOT, 'bench', 'results-latency.json');
  const m = { ...before, loadAverage1mAfter: Number(loadavg()[0].toFixed(2)) };
  writeFileSync(out, `${JSON.stringify({ machine: m, latency, fleets }, null, 2)}\n`);
  process.stdout.write(
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.ramGb} GB RAM, Node ${m.node}, load average ${m.loadAverage1m} -> ${m.loadAverage1mAfter}\n`,
  );
  printTable([['Measure', 'Result', 'Target', 'Met'], ...latencyRows(latency), ...fleets.map(fleetRow)]);
  printWaterfalls(latency);
  process.stdout.write(`wrote ${out}\n`);
}

function fleetRow(f: Awaited<ReturnType<typeof fleet>>): string[] {
  return [
    `fleet ${f.mailboxes} mailboxes / ${f.tenants} tenants (concurrency ${f.concurrency}${f.rttMs !== undefined ? `, RTT ${f.rttMs} ms` : ''})`,
    `${fmt(f.wallMs)}, peak RSS ${f.peakRssMb} MB, CPU ${f.cliCpuS} s (+ emulators ${f.emulatorCpuS} s), ` +
      `${f.targets.total - f.targets.withProblems}/${f.targets.total} clean; ` +
      `token POSTs ${f.wire.tokenPosts} (ROPC ${f.wire.ropc}, client-credentials ${f.wire.clientCredentials}), ` +
      `Graph ${f.wire.graph} (${f.wire.graphBatch} $batch), discovery ${f.wire.discovery}, userrealm ${f.wire.userRealm}`,
    f.mailboxes >= 1000 ? '< 60 s, < 300 MB' : '',
    f.mailboxes >= 1000 ? met(f.wallMs < 60_000 && f.peakRssMb < 300) : '',
  ];
}

async function main() {
  if (opt.rtt !== undefined)
    return latencyOnly(
      opt.rtt
        .split(',')
        .map(Number)
        .filter((n) => n >= 0),
    );
  const sizes = opt
    .sizes!.split(',')
    .map(Number)
    .filter((n) => n > 0);
  const tenants = Number(opt.tenants ?? 5);
  const concurrency = Number(opt.concurrency);
  const runs = Number(opt.runs);
  const before = machine();
  process.stderr.write(`bench: start-up (${runs} runs each)...\n`);
  const start = await startup(runs);
  process.stderr.write('bench: full check vs curl chain...\n');
  const check = await fullCheck(Math.max(3, runs >> 1));
  const latency = await latencySweep([0, 40, 100]);
  const fleets = [];
  for (const n of sizes) {
    process.stderr.write(`bench: fleet of ${n} mailboxes over ${tenants} tenants...\n`);
    fleets.push(await fleet(n, tenants, concurrency));
  }
  const results = {
    machine: { ...before, loadAverage1mAfter: Number(loadavg()[0].toFixed(2)) },
    startup: start,
    check,
    latency,
    fleets,
  };
  const out = opt.out ?? join(ROOT, 'bench', 'results.json');
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);

  const rows: string[][] = [
    ['Measure', 'Result', 'Target', 'Met'],
    [
      '`--version` vs `node -e 0` (median)',
      `${fmt(start.versionMs)} vs ${fmt(start.nodeMs)} = ${start.ratio.toFixed(2)}x`,
      '< 3x',
      met(start.ratio < 3),
    ],
    [
      'full check (process) vs curl chain (median)',
      `${fmt(check.checkProcessMs)} vs ${fmt(check.curlChainMs)} = ${check.ratio.toFixed(2)}x`,
      '<= 2x',
      met(check.ratio <= 2),
    ],
    [
      'full check: run wall / critical path / sum of checks',
      `${fmt(check.reportDurationMs)} / ${fmt(check.criticalPathMs)} / ${fmt(check.sumOfChecksMs)}`,
      'wall ~ critical path',
      met(check.reportDurationMs <= check.criticalPathMs * 1.1),
    ],
    ['`check --demo` (process, emulator in-process)', fmt(check.demoProcessMs), '', ''],
  ];
  rows.push(...latencyRows(latency), ...fleets.map(fleetRow));
  const m = results.machine;
  process.stdout.write(
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.ramGb} GB RAM, Node ${m.node}, load average ${m.loadAverage1m} -> ${m.loadAverage1mAfter}\n`,
  );
  printTable(rows);
  printWaterfalls(latency);
  process.stdout.write(`wrote ${out}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
