// The work of `m365-doctor merge`: read, combine, render; exit codes as for check.
import { parseReportSpec } from '../output/report-files.js';
import { processRedactor } from './process-redactor.js';
import { exitCodeFor } from '../runner/exit-code.js';
import { fleetFormat, printFleetReports } from './fleet-reports.js';
import { mergeFleetReports } from '../fleet/merge.js';

export interface MergeOptions {
  reports: string[];
  format: string;
  report?: string[];
  failOn: 'fail' | 'warn';
  quiet?: boolean;
}

export function runMergeCommand(args: MergeOptions, env: NodeJS.ProcessEnv = process.env): number {
  const format = mergeFormat(args.format);
  const files = (args.report ?? []).map(parseReportSpec).map((s) => ({ ...s, format: mergeFormat(s.format) }));
  const { header, entries, missingShards } = mergeFleetReports(args.reports);
  if (missingShards.length)
    process.stderr.write(
      `warning: shard${missingShards.length > 1 ? 's' : ''} ${missingShards.join(', ')} missing from the merge\n`,
    );
  printFleetReports(format, header, () => entries, files, {
    env,
    quiet: args.quiet,
    scrub: (s) => processRedactor.scrub(s),
    say: (line) => {
      if (!args.quiet) process.stderr.write(`${line}\n`);
    },
  });
  return exitCodeFor(header, args.failOn);
}

/** Merge names every wrong format under --report, as it always has. */
const mergeFormat = (name: string) => fleetFormat(name, '--report', 'is not a format merge writes');
