// Command module: `m365-doctor migrate --to app-only` prints the plan (or a PowerShell script) that moves a password-grant
// connector to app-only access, each step marked from a fresh run or a saved report; it runs nothing.
import type { Argv, CommandModule } from 'yargs';
import { migrateOptions, type MigrateArgs } from '../migrate-options.js';

export const migrateCommand: CommandModule<object, MigrateArgs> = {
  command: 'migrate',
  describe:
    'Print the plan (or --script powershell) that moves the connector from the password grant to app-only access; nothing is run',
  builder: (y: Argv) =>
    migrateOptions(y)
      .example('$0 migrate --to app-only --from m365-doctor.json', 'Plan from a saved report')
      .example(
        '$0 migrate --to app-only --scenario missing-permission --script powershell > migrate.ps1',
        'Script for a fresh run of the emulated tenant',
      ) as Argv<MigrateArgs>,
  handler: async (args) => {
    const { runMigrateCommand } = await import('../migrate-command.js');
    process.exitCode = await runMigrateCommand(args);
  },
};
