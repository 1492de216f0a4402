// Options of `m365-doctor migrate` beyond those of check, and their type. Imported by the command module, its handler
// and completion, so none imports another's; only light imports here (--help must not load the heavy libraries).
import type { Argv } from 'yargs';
import { checkOptions, type CheckArgs } from './check-options.js';

export const MIGRATION_TARGETS = ['app-only'] as const;

export interface MigrateArgs extends CheckArgs {
  to: string;
  from?: string;
  script?: string;
}

export function migrateOptions(y: Argv): Argv<MigrateArgs> {
  return (
    checkOptions(y)
      // Checked in the handler, so a wrong value is one line naming the flag (yargs' choices message is several).
      .option('to', {
        type: 'string',
        demandOption: true,
        describe: `Where to migrate: ${MIGRATION_TARGETS.join(', ')}`,
        group: 'Migrate:',
      })
      .option('from', {
        type: 'string',
        normalize: true,
        describe: 'Saved JSON report to plan from (default: run the checks now, same options as check)',
        group: 'Migrate:',
      })
      .option('script', {
        type: 'string',
        choices: ['powershell'],
        describe: 'Print the plan as a PowerShell script for review instead of text',
        group: 'Migrate:',
      })
      // The plan is what goes to stdout, so the report format of `check` has no say here.
      .hide('format') as Argv<MigrateArgs>
  );
}
