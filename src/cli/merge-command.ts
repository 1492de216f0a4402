// The work of `m365-doctor merge`: read, combine, render; exit codes as for check.
import { ConfigError } from '../core/errors.js';
import { parseReportSpec } from '../output/report-files.js';
import { processRedactor } from './process-redactor.js';
import { exitCodeFor } from '../runner/exit-code.js';
import { printFleetReports } from './fleet-command.js';
import { mergeFleetReports } from '../fleet/merge.js';
import { FLEET_FORMATS, type FleetFormat } from '../fleet/render.js';

export interface MergeOptions {
  reports: string[];
  format: string;
  report?: string[];
  failOn: 'fail' | 'warn';
  quiet?: boolean;
}

export function runMergeCommand(args: MergeOptions, env: NodeJS.ProcessEnv = process.env): number {
  const format = fleetFormat(args.format);
  const files = (args.report ?? []).map(parseReportSpec).map((s) => ({ ...s, format: fleetFormat(s.format) }));
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

function fleetFormat(name: string): FleetFormat {
  if ((FLEET_FORMATS as readonly string[]).includes(name)) return name as FleetFormat;
  throw new ConfigError('--report', `"${name}" is not a format merge writes`, `Use one of ${FLEET_FORMATS.join(', ')}`);
}
