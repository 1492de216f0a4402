// Command module: `m365-doctor checks` lists the catalog (id, category, title, what it needs).
import type { Argv, CommandModule } from 'yargs';

interface ChecksArgs {
  format: 'table' | 'json';
  plugin?: string[];
}

export const checksCommand: CommandModule<object, ChecksArgs> = {
  command: 'checks',
  describe: 'List the checks: id, category, title and what each depends on',
  builder: (y: Argv) =>
    y
      .option('format', { type: 'string', choices: ['table', 'json'], default: 'table', describe: 'Output format' })
      .option('plugin', {
        type: 'string',
        array: true,
        describe: 'Include checks of a plugin module (repeatable)',
      }) as Argv<ChecksArgs>,
  handler: async (args) => {
    const { listChecks } = await import('../checks-command.js');
    process.stdout.write(await listChecks(args.format, args.plugin ?? []));
  },
};
