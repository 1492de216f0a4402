// `m365-doctor check --targets FILE [--concurrency N] [--shard K/N]`: the fleet run behind the check command.
import { builtinChecks } from '../../checks/index.js';
import type { CheckArgs } from './check-options.js';
import { flagLayer, listFlag } from './flag-inputs.js';
import { envLayer } from '../config/env.js';
import type { InputLayer } from '../config/inputs.js';
import { loadPlugins } from './plugins.js';
import { packageVersion } from '../config/package-root.js';
import { Interrupt } from './interrupt.js';
import { ConfigError } from '../core/errors.js';
import { parseReportSpec } from '../output/report-files.js';
import type { Redactor } from '../core/redact.js';
import { exitCodeFor } from '../runner/exit-code.js';
import { hasProblems } from '../fleet/fleet-report.js';
import { DEFAULT_CONCURRENCY, registerOtherTargetSecrets, runFleet } from '../fleet/run-fleet.js';
import { appendFleetStepSummary } from '../fleet/step-summary.js';
import { inShard, parseShard } from '../fleet/shard.js';
import { loadTargetsFile } from '../fleet/targets-file.js';
import { fleetFormat, printFleetReports } from './fleet-reports.js';

const MAX_CONCURRENCY = 256;

const TARGETS_ONLY = 'is not available with --targets';

export interface FleetArgs extends CheckArgs {
  targets: string;
  concurrency?: number;
  shard?: string;
}

export async function runFleetCommand(
  args: FleetArgs,
  redactor: Redactor,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const say = (line: string) => {
    if (!args.quiet) process.stderr.write(`${line}\n`);
  };
  const format = fleetFormat(args.format, '--format', TARGETS_ONLY);
  const reports = (args.report ?? [])
    .map(parseReportSpec)
    .map((spec) => ({ ...spec, format: fleetFormat(spec.format, '--report', TARGETS_ONLY) }));
  const concurrency = args.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    throw new ConfigError(
      '--concurrency',
      `"${args.concurrency}" is not a whole number from 1 to ${MAX_CONCURRENCY}`,
      'Give how many targets to check at once, e.g. --concurrency 8',
    );
  }
  const shard = args.shard === undefined ? undefined : parseShard(args.shard);
  const all = loadTargetsFile(args.targets, env);
  const targets = all.filter((t) => inShard(t.index, shard));
  if (shard) say(`shard ${shard.index}/${shard.count}: ${targets.length} of ${all.length} targets`);
  const flags = flagLayer(args, {});
  if (shard)
    registerOtherTargetSecrets(
      redactor,
      all.filter((t) => !inShard(t.index, shard)),
      [flags],
    );
  const checks = [...builtinChecks, ...(await loadPlugins(args.plugin ?? []))];

  // Ctrl-C and SIGTERM: no new target starts, those in flight end, and the report holds the targets checked.
  const interrupt = new Interrupt();
  const live = process.stderr.isTTY && !args.quiet;
  // Without a terminal (CI logs) one line per target, or per step of targets in a large fleet: about 50 lines in all.
  const step = Math.max(1, Math.ceil(targets.length / 50));
  let withProblems = 0;
  const { header, spool } = await runFleet({
    targets,
    commonLayers: [flags, proxyEnvLayer(env)],
    checks,
    concurrency,
    shard,
    only: listFlag(args.only),
    skip: listFlag(args.skip),
    version: packageVersion(),
    redactor,
    logLevel: args.verbose ? 'debug' : args.quiet ? 'silent' : 'warn',
    signal: interrupt.signal,
    // Said even with --quiet: it explains why some targets show another target's sign-in outcome.
    onSharedAccount: (a) =>
      process.stderr.write(
        `warning: targets ${a.targets.map((t) => JSON.stringify(t)).join(', ')} share the account ${a.username}: ` +
          'one password attempt is made for all of them (a repeated wrong password could lock the account)\n',
      ),
    onTarget: (entry, done, total) => {
      const problems = hasProblems(entry.report);
      if (problems) withProblems++;
      const line = `[${done}/${total}] ${safeName(entry.name)}: ${problems ? 'problems' : 'ok'}; ${withProblems} with problems so far`;
      if (args.verbose)
        process.stderr.write(`[${done}/${total}] ${safeName(entry.name)}: ${JSON.stringify(entry.report.summary)}\n`);
      else if (live) process.stderr.write(`\r\u001b[K${line}`);
      else if (!args.quiet && (done % step === 0 || done === total)) process.stderr.write(`${line}\n`);
    },
  }).catch((err: unknown) => {
    interrupt.dispose();
    throw err;
  });
  if (live) process.stderr.write('\r\u001b[K');
  if (interrupt.received)
    process.stderr.write(
      `interrupted: ${header.targetSummary.total} of ${targets.length} targets checked (${interrupt.received})\n`,
    );
  try {
    printFleetReports(format, header, () => spool.entries(), reports, {
      env,
      quiet: args.quiet,
      scrub: (s) => redactor.scrub(s),
      say,
    });
    const summary = appendFleetStepSummary(
      header,
      spool.entries(),
      env,
      (t) => redactor.scrub(t),
      (w) => process.stderr.write(`${w}\n`),
    );
    if (summary) say(`appended the Markdown report to GITHUB_STEP_SUMMARY (${summary})`);
  } finally {
    spool.dispose();
    interrupt.dispose((held) => {
      if (args.verbose) process.stderr.write(`exit: still open after the interrupt: ${held.join(', ') || 'nothing'}\n`);
    });
  }
  return interrupt.exitCode ?? exitCodeFor(header, args.failOn);
}

/** A target's name on one line: control characters must not drive the terminal or split the log line. */
function safeName(name: string): string {
  return name.replace(/[\u0000-\u001F\u007F-\u009F]/g, '\uFFFD');
}

/** The shell's proxy variables apply to every target (the M365_DOCTOR_* ones do not: targets come from the file). */
function proxyEnvLayer(env: NodeJS.ProcessEnv): InputLayer {
  const layer = envLayer(env);
  return { values: { proxy: layer.values.proxy, noProxy: layer.values.noProxy }, label: layer.label };
}
