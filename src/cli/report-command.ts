// `m365-doctor report FILE`: validate a saved JSON report, then render it with the same reporters as `check`.
import { loadReporter } from '../../reporters/load.js';
import { useColor, terminalWidth } from '../output/color.js';
import type { RunReport } from '../core/result.js';
import { EXIT_OK } from '../runner/exit-code.js';
import type { ReportArgs } from './report-options.js';
import { loadSavedReport } from '../runner/saved-report.js';

/** Exit 0 once rendered: the command shows a past run, it does not judge one. A bad file throws ConfigError (exit 2). */
export async function runReportCommand(args: ReportArgs, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const report = loadSavedReport(args.file);
  const reporter = await loadReporter(args.format);
  if (!args.quiet) process.stderr.write(`${provenance(report)}\n`);
  process.stdout.write(
    reporter.render(report, {
      color: useColor(process.stdout, env),
      width: terminalWidth(process.stdout, env),
      problemsOnly: args.quiet,
      all: args.all,
    }),
  );
  return EXIT_OK;
}

/** Where and when the saved run happened: what a support engineer asks first. */
export function provenance(report: RunReport): string {
  const e = report.environment;
  const os = [e.os, e.osRelease, e.arch].filter(Boolean).join(' ');
  const text =
    `saved report: m365-doctor ${report.tool.version} on Node ${e.node} (${os}), ${report.target.cloud} cloud, ` +
    `started ${report.startedAt}, took ${report.durationMs} ms`;
  // The file may come from anywhere: keep terminal control characters out of stderr.
  return text.replace(/[\u0000-\u001F\u007F-\u009F]/g, '\uFFFD');
}
