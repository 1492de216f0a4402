// Command module: `m365-doctor migrate --to app-only` prints the plan (or a PowerShell script) that moves a password-grant
// connector to app-only access, each step marked from a fresh run or a saved report; it runs nothing.
import type { Argv, CommandModule } from 'yargs';
import { checkOptions, type CheckArgs } from '../check-options.js';

export const MIGRATION_TARGETS = ['app-only'] as const;

export interface MigrateArgs extends CheckArgs { to: string; from?: string; script?: string }

export const migrateCommand: CommandModule<object, MigrateArgs> = {
  command: 'migrate',
  describe: 'Print the plan (or --script powershell) that moves the connector from the password grant to app-only access; nothing is run',
  builder: (y: Argv) => checkOptions(y)
    // Checked in the handler, so a wrong value is one line naming the flag (yargs' choices message is several).
    .option('to', { type: 'string', demandOption: true, describe: `Where to migrate: ${MIGRATION_TARGETS.join(', ')}`, group: 'Migrate:' })
    .option('from', { type: 'string', normalize: true, describe: 'Saved JSON report to plan from (default: run the checks now, same options as check)', group: 'Migrate:' })
    .option('script', { type: 'string', choices: ['powershell'], describe: 'Print the plan as a PowerShell script for review instead of text', group: 'Migrate:' })
    // The plan is what goes to stdout, so the report format of `check` has no say here.
    .hide('format')
    .example('$0 migrate --to app-only --from m365-doctor.json', 'Plan from a saved report')
    .example('$0 migrate --to app-only --scenario missing-permission --script powershell > migrate.ps1', 'Script for a fresh run of the emulated tenant') as Argv<MigrateArgs>,
  handler: async (args) => {
    const { runMigrateCommand } = await import('../migrate-command.js');
    process.exitCode = await runMigrateCommand(args);
  },
};
