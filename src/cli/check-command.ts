// `m365-doctor check`: resolve inputs, load checks and clients, run, report, and pick the exit code.
import { loadReporter } from '../../reporters/load.js';
import type { ReporterName } from '../../reporters/types.js';
import { builtinChecks } from '../../checks/index.js';
import { envLayer } from '../config/env.js';
import type { InputLayer } from '../config/inputs.js';
import { packageVersion } from '../config/package-root.js';
import { resolveConfig } from '../config/resolve.js';
import type { Redactor } from '../core/redact.js';
import type { RunReport } from '../core/result.js';
import { useColor, terminalWidth } from '../output/color.js';
import { createLogger } from '../output/logger.js';
import { createProgress } from '../output/progress.js';
import { writeAll } from '../output/atomic-file.js';
import { parseReportSpec, writeReportFile } from '../output/report-files.js';
import { buildReport } from '../runner/report.js';
import { exitCodeFor } from '../runner/exit-code.js';
import { runChecks } from '../runner/run.js';
import type { CheckArgs } from './check-options.js';
import { loadClients } from '../clients/load.js';
import { startDemo, type Demo } from './demo.js';
import { flagLayer, listFlag, plainSecretWarnings } from './flag-inputs.js';
import { Interrupt } from './interrupt.js';
import { registerKnownSecrets } from './known-secrets.js';
import { loadPlugins } from './plugins.js';
import { defaultPromptIo, promptMissingSecrets, shouldPrompt } from './secret-prompt.js';
import { readStdinSecrets } from './stdin-secrets.js';
import { appendStepSummary } from '../output/step-summary.js';
import { noteEnvironmentWarning } from '../runner/environment-warnings.js';

export interface CheckCommandHooks {
  /** Renders stdout instead of --format (`fix` prints a script from the same run); also skips the job summary. */
  render?: (report: RunReport) => string;
}

export async function runCheckCommand(
  args: CheckArgs,
  redactor: Redactor,
  env: NodeJS.ProcessEnv = process.env,
  hooks: CheckCommandHooks = {},
): Promise<number> {
  const say = (line: string) => {
    if (!args.quiet) process.stderr.write(`${line}\n`);
  };
  plainSecretWarnings(args).forEach((w) => process.stderr.write(`${w}\n`));
  const reportSpecs = (args.report ?? []).map(parseReportSpec);
  // Only the formats this run writes are loaded, while the checks run.
  const reporters = {
    stdout: loadReporter(args.format as ReporterName),
    files: reportSpecs.map((spec) => loadReporter(spec.format)),
  };

  const stdinSecrets = await readStdinSecrets({
    clientSecret: args.clientSecretStdin,
    password: args.passwordStdin,
    adminClientSecret: args.adminClientSecretStdin,
  });
  const layers: InputLayer[] = [flagLayer(args, stdinSecrets)];
  const wantsDemo = Boolean(args.demo || args.scenario || args.scenarioFile);
  // The emulated tenant brings its own secrets: nothing to ask.
  const promptIo = defaultPromptIo();
  const prompting = !wantsDemo && shouldPrompt(args.prompt, promptIo);
  const unsetFileSecrets = {};
  const configFile = args.config ?? env.M365_DOCTOR_CONFIG;
  // The config file's schema validator (ajv) loads only when there is a file: a tenth of a second otherwise lost.
  const fileInputs = configFile
    ? (await import('../config/file.js')).fileLayer(configFile, env, prompting ? unsetFileSecrets : undefined)
    : undefined;
  fileInputs?.warnings?.forEach((w) => {
    process.stderr.write(`${w}\n`);
    noteEnvironmentWarning(w.replace(/^warning: /, ''));
  });
  await registerKnownSecrets(redactor, [layers[0], envLayer(env), fileInputs], args.scenarioFile);
  if (prompting)
    layers.push(
      await promptMissingSecrets([layers[0], envLayer(env), fileInputs], unsetFileSecrets, redactor, promptIo),
    );
  // Flags, the config file and plugins are checked before the emulator starts: bad input fails fast,
  // with nothing to clean up.
  if (wantsDemo) resolveConfig(layers, redactor, { partial: true });
  const checks = [...builtinChecks, ...(await loadPlugins(args.plugin ?? []))];
  let demo: Demo | undefined;
  /** Ending the sessions the run left open (pre-connected, unused) overlaps the report; awaited before the emulator stops. */
  let closing: Promise<void> | undefined;
  // From here on Ctrl-C and SIGTERM end the run early but still report what was found, and stop the emulator.
  const interrupt = new Interrupt();
  try {
    if (wantsDemo) {
      demo = await startDemo({ scenario: args.scenario, scenarioFile: args.scenarioFile });
      layers.push(demo.layer);
    }
    const envInputs = envLayer(env);
    // The emulated tenant runs in this process on loopback: the shell's proxy variables are not for it (--proxy is).
    if (wantsDemo) {
      delete envInputs.values.proxy;
      delete envInputs.values.noProxy;
    }
    layers.push(envInputs);
    if (fileInputs) layers.push(fileInputs);
    const { config } = resolveConfig(layers, redactor);

    const known = new Set(checks.map((c) => c.meta.id));
    for (const e of config.exceptions) {
      if (!known.has(e.id)) process.stderr.write(`warning: exception for unknown check "${e.id}" has no effect\n`);
    }
    const log = createLogger(args.verbose ? 'debug' : args.quiet ? 'silent' : 'warn', redactor);
    const clients = await loadClients(config, {
      redactor,
      log,
      signal: interrupt.signal,
      onDeviceCode: (message) => process.stderr.write(`${message}\n`),
    });

    const progress = createProgress(process.stderr, checks.length);
    const startedAt = new Date();
    const { results, pulledIn } = await runChecks({
      checks,
      config,
      clients,
      redactor,
      log,
      signal: interrupt.signal,
      only: listFlag(args.only),
      skip: listFlag(args.skip),
      onEvent: (e) => {
        if (!args.quiet) progress.onEvent(e);
        if (e.type === 'checkFinished') log.debug(`${e.result.id}: ${e.result.status} in ${e.result.durationMs} ms`);
      },
    });
    closing = clients.close?.().catch(() => undefined);
    progress.done();
    if (pulledIn.length) say(`--only also ran what the selected checks depend on: ${pulledIn.join(', ')}`);

    const after = Object.fromEntries(checks.map((c) => [c.meta.id, c.meta.after ?? []]));
    const report = buildReport({
      version: packageVersion(),
      config,
      results,
      startedAt,
      finishedAt: new Date(),
      after,
      redactor,
    });
    const color = useColor(process.stdout, env);
    process.stdout.write(
      hooks.render
        ? hooks.render(report)
        : (await reporters.stdout).render(report, {
            color,
            width: terminalWidth(process.stdout, env),
            problemsOnly: args.quiet,
            all: args.all || args.verbose,
            failOn: args.failOn,
          }),
    );
    const rendered = await Promise.all(
      reporters.files.map(async (r) => (await r).render(report, { color: false, failOn: args.failOn })),
    );
    writeAll([...reportSpecs.entries()], ([i, spec]) => {
      const path = writeReportFile(spec, rendered[i], (s) => redactor.scrub(s));
      say(`wrote ${spec.format} report to ${path}`);
    });
    if (!hooks.render) {
      const summary = appendStepSummary(
        report,
        args.failOn,
        env,
        (t) => redactor.scrub(t),
        (w) => process.stderr.write(`${w}\n`),
      );
      if (summary) say(`appended the Markdown report to GITHUB_STEP_SUMMARY (${summary})`);
    }
    if (args.verbose && demo) {
      // What the emulated tenant saw, so a demo shows the wire side of each check (the log holds no secrets).
      for (const e of demo.emulator.log.entries) {
        log.debug(`emulator ${e.service} ${e.method} ${e.target} -> ${e.result}${e.detail ? ` (${e.detail})` : ''}`);
      }
    }
    if (interrupt.received) say(`interrupted by ${interrupt.received}: the report holds the checks that finished`);
    return interrupt.exitCode ?? exitCodeFor(report, args.failOn);
  } finally {
    await closing;
    await demo?.emulator.stop();
    interrupt.dispose((held) => {
      if (args.verbose) process.stderr.write(`exit: still open after the interrupt: ${held.join(', ') || 'nothing'}\n`);
    });
  }
}
