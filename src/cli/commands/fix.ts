// Command module: `m365-doctor fix --script powershell` prints a script that fixes the problems of a run; it runs nothing.
import type { Argv, CommandModule } from 'yargs';
import { fixOptions, type FixArgs } from '../fix-options.js';

export const fixCommand: CommandModule<object, FixArgs> = {
  command: 'fix',
  describe:
    'Print a PowerShell script (for review; nothing is run) that fixes the problems of a fresh run or a saved report',
  builder: (y: Argv) =>
    fixOptions(y)
      .example('$0 fix --script powershell --from m365-doctor.json > fix.ps1', 'Script for a saved report')
      .example(
        '$0 fix --script powershell --scenario smtp-auth-disabled-mailbox',
        'Script for a fresh run of the emulated tenant',
      ) as Argv<FixArgs>,
  handler: async (args) => {
    const { runFixCommand } = await import('../fix-command.js');
    process.exitCode = await runFixCommand(args);
  },
};
