// Command module: `m365-doctor explain CODE` prints the cause and fix of an AADSTS or m365-doctor code.
import type { Argv, CommandModule } from 'yargs';
import { ConfigError } from '../../core/errors.js';

interface ExplainArgs {
  code: string;
}

export const explainCommand: CommandModule<object, ExplainArgs> = {
  command: 'explain <code>',
  describe: 'Explain a code from a report (AADSTS50076, SMTP_AUTH_DISABLED_TENANT, TIMEOUT, ...)',
  builder: (y: Argv) =>
    y.positional('code', { type: 'string', demandOption: true, describe: 'The code' }) as Argv<ExplainArgs>,
  handler: async (args) => {
    const { explainCode, suggestCodes } = await import('../explain-command.js');
    const text = explainCode(String(args.code));
    if (text === undefined) {
      const near = suggestCodes(String(args.code));
      throw new ConfigError(
        'CODE',
        `unknown code "${args.code}"`,
        near.length
          ? `Did you mean ${near.join(', ')}?`
          : 'Give a code from a report, e.g. AADSTS50126 or MISSING_INPUT',
      );
    }
    process.stdout.write(`${text}\n`);
  },
};
