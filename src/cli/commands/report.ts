// Command module: `m365-doctor report FILE` re-renders a saved JSON report offline (what the customer saw).
import type { Argv, CommandModule } from 'yargs';
import { reportOptions, type ReportArgs } from '../report-options.js';

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report <file>',
  describe: 'Re-render a saved JSON report (the support bundle) offline as table, markdown, html, junit or json',
  builder: (y: Argv) =>
    reportOptions(y)
      .example('$0 report m365-doctor.json', "Show a customer's report as the table they saw")
      .example('$0 report m365-doctor.json --format markdown > ticket.md', 'Markdown for a ticket') as Argv<ReportArgs>,
  handler: async (args) => {
    const { runReportCommand } = await import('../report-command.js');
    process.exitCode = await runReportCommand(args);
  },
};
