// Command module: `m365-doctor fix --script powershell` prints a script that fixes the problems of a run; it runs nothing.
import type { Argv, CommandModule } from 'yargs';
import { checkOptions, type CheckArgs } from '../check-options.js';

export interface FixArgs extends CheckArgs { script: 'powershell'; from?: string }

export const fixCommand: CommandModule<object, FixArgs> = {
  command: 'fix',
  describe: 'Print a PowerShell script (for review; nothing is run) that fixes the problems of a fresh run or a saved report',
  builder: (y: Argv) => checkOptions(y)
    .option('script', { type: 'string', choices: ['powershell'], demandOption: true, describe: 'Script language', group: 'Fix:' })
    .option('from', { type: 'string', normalize: true, describe: 'Saved JSON report to fix (default: run the checks now, same options as check)', group: 'Fix:' })
    // The script is what goes to stdout, so the report format of `check` has no say here.
    .hide('format')
    .example('$0 fix --script powershell --from m365-doctor.json > fix.ps1', 'Script for a saved report')
    .example('$0 fix --script powershell --scenario smtp-auth-disabled-mailbox', 'Script for a fresh run of the emulated tenant') as Argv<FixArgs>,
  handler: async (args) => {
    const { runFixCommand } = await import('../fix-command.js');
    process.exitCode = await runFixCommand(args);
  },
};
