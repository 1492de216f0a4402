// Arguments of `m365-doctor report` and their type. Imported by the command module and its handler, so neither
// imports the other's types; only light imports here (--help must not load the heavy libraries).
import type { Argv } from 'yargs';
import { REPORTER_NAMES, type ReporterName } from '../../reporters/types.js';

export interface ReportArgs {
  file: string;
  format: ReporterName;
  quiet?: boolean;
  all?: boolean;
}

export function reportOptions(y: Argv): Argv<ReportArgs> {
  return y
    .positional('file', {
      type: 'string',
      demandOption: true,
      normalize: true,
      describe: 'JSON report written by check --report json:FILE',
    })
    .option('format', {
      type: 'string',
      choices: REPORTER_NAMES,
      default: 'table',
      describe: 'Output format on stdout',
    })
    .option('quiet', {
      type: 'boolean',
      describe: 'No line about the saved run on stderr; the table lists problems only',
    })
    .option('all', {
      type: 'boolean',
      describe: 'Table: every check in a bordered table, not only the problems',
    }) as Argv<ReportArgs>;
}
