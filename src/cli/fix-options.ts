// Options of `m365-doctor fix` beyond those of check, and their type. Imported by the command module and its handler,
// so neither imports the other's types; only light imports here (--help must not load the heavy libraries).
import type { Argv } from 'yargs';
import { checkOptions, type CheckArgs } from './check-options.js';

export interface FixArgs extends CheckArgs {
  script: 'powershell';
  from?: string;
}

export function fixOptions(y: Argv): Argv<FixArgs> {
  return (
    checkOptions(y)
      .option('script', {
        type: 'string',
        choices: ['powershell'],
        demandOption: true,
        describe: 'Script language',
        group: 'Fix:',
      })
      .option('from', {
        type: 'string',
        normalize: true,
        describe: 'Saved JSON report to fix (default: run the checks now, same options as check)',
        group: 'Fix:',
      })
      // The script is what goes to stdout, so the report format of `check` has no say here.
      .hide('format') as Argv<FixArgs>
  );
}
