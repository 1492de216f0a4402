// Command module: `m365-doctor report FILE` re-renders a saved JSON report offline (what the customer saw).
import type { Argv, CommandModule } from 'yargs';
import { REPORTER_NAMES, type ReporterName } from '../../../reporters/types.js';

export interface ReportArgs { file: string; format: ReporterName; quiet?: boolean; all?: boolean }

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report <file>',
  describe: 'Re-render a saved JSON report (the support bundle) offline as table, markdown, html, junit or json',
  builder: (y: Argv) => y
    .positional('file', { type: 'string', demandOption: true, normalize: true, describe: 'JSON report written by check --report json:FILE' })
    .option('format', { type: 'string', choices: REPORTER_NAMES, default: 'table', describe: 'Output format on stdout' })
    .option('quiet', { type: 'boolean', describe: 'No line about the saved run on stderr; the table lists problems only' })
    .option('all', { type: 'boolean', describe: 'Table: every check in a bordered table, not only the problems' })
    .example('$0 report m365-doctor.json', 'Show a customer\'s report as the table they saw')
    .example('$0 report m365-doctor.json --format markdown > ticket.md', 'Markdown for a ticket') as Argv<ReportArgs>,
  handler: async (args) => {
    const { runReportCommand } = await import('../report-command.js');
    process.exitCode = await runReportCommand(args);
  },
};
