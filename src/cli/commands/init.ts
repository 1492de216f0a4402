// Command module: `m365-doctor init` writes a config file, asking on a terminal or taking flags.
import type { Argv, CommandModule } from 'yargs';
import { CLOUDS } from '../../m365/clouds.js';
import { ACTIVITIES } from '../../config/types.js';
import type { InitArgs } from '../init-command.js';
import { lastValueWins } from '../single-value.js';

export const initCommand: CommandModule<object, InitArgs> = {
  command: 'init',
  describe: 'Write m365-doctor.json (with its $schema; secrets only as environment variable names)',
  builder: (y: Argv) =>
    lastValueWins(y, ['tenant', 'client-id', 'username', 'cloud', 'client-secret-env', 'password-env', 'file'])
      .option('tenant', { type: 'string', describe: 'Tenant id (GUID) or verified domain' })
      .option('client-id', { type: 'string', describe: 'Application (client) id of the connector app' })
      .option('username', { type: 'string', describe: 'User principal name of the mailbox user' })
      .option('activities', {
        type: 'string',
        array: true,
        describe: `What the connector does: ${ACTIVITIES.join(', ')} (comma list; default all)`,
      })
      .option('cloud', {
        type: 'string',
        describe: `Microsoft cloud: ${Object.keys(CLOUDS).join(', ')} (default global)`,
      })
      .option('client-secret-env', {
        type: 'string',
        default: 'M365_DOCTOR_CLIENT_SECRET',
        describe: 'Environment variable the file names for the client secret',
      })
      .option('password-env', {
        type: 'string',
        default: 'M365_DOCTOR_PASSWORD',
        describe: 'Environment variable the file names for the password',
      })
      .option('file', { type: 'string', default: 'm365-doctor.json', describe: 'File to write' })
      .option('force', { type: 'boolean', describe: 'Replace the file if it exists' })
      .option('yes', {
        type: 'boolean',
        alias: 'y',
        describe: 'Ask nothing: flags and defaults only (as without a terminal)',
      })
      .example('$0 init', 'Answer a few questions on the terminal')
      .example(
        '$0 init --tenant contoso.onmicrosoft.com --client-id ID --username box@contoso.com --activities read-imap --yes',
        'No questions (scripts, CI)',
      ) as unknown as Argv<InitArgs>, // yargs types keep kebab-case keys; it also sets camelCase ones
  handler: async (args) => {
    const { runInit } = await import('../init-command.js');
    process.exitCode = await runInit(args);
  },
};
