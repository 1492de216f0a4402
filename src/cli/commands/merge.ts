// Command module: `m365-doctor merge a.json b.json ...` combines the JSON reports of fleet shards.
import type { Argv, CommandModule } from 'yargs';

interface MergeArgs {
  reports: string[];
  format: string;
  report?: string[];
  failOn: 'fail' | 'warn';
  quiet?: boolean;
}

export const mergeCommand: CommandModule<object, MergeArgs> = {
  command: 'merge <reports..>',
  describe: 'Merge the JSON reports of fleet shards (check --targets --shard K/N) into one report',
  builder: (y: Argv) =>
    y
      .positional('reports', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'JSON reports of the shards',
      })
      .option('format', {
        type: 'string',
        choices: ['table', 'json', 'junit'],
        default: 'table',
        describe: 'Report written to stdout',
      })
      .option('report', { type: 'string', array: true, describe: 'Also write FORMAT:FILE (repeatable)' })
      .option('fail-on', {
        type: 'string',
        choices: ['fail', 'warn'],
        default: 'fail',
        describe: 'Exit 1 on failures only, or on warnings too',
      })
      .option('quiet', { type: 'boolean', describe: 'The table lists targets with problems only' })
      .example(
        '$0 merge shard-*.json --format junit > junit.xml',
        'One JUnit report from every shard',
      ) as unknown as Argv<MergeArgs>,
  handler: async (args) => {
    const { runMergeCommand } = await import('../merge-command.js');
    process.exitCode = runMergeCommand(args);
  },
};
