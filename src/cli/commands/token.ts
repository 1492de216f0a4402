// Command module: `m365-doctor token` gets a token as the connector would and shows its decoded claims.
import type { Argv, CommandModule } from 'yargs';
import { CLOUDS } from '../../m365/clouds.js';
import { ACTIVITIES } from '../../config/types.js';
import { SIGN_IN_OPTIONS, TARGET } from '../check-options.js';
import { processRedactor } from '../process-redactor.js';
import { lastValueWins } from '../single-value.js';
import { secretFlagsOnce } from '../secret-flags.js';
import type { TokenArgs } from '../token-command.js';

const TOKEN = 'Token:';

export const tokenCommand: CommandModule<object, TokenArgs> = {
  command: 'token',
  describe:
    "Get a password-grant (ROPC) token like Microsoft's curl example and show its claims (aud, scp, roles, upn, exp, ...)",
  builder: (y: Argv) =>
    secretFlagsOnce(
      lastValueWins(
        y,
        ['tenant', 'client-id', 'username', 'cloud', 'authority-host', 'timeout', 'resource', 'scenario'],
        ['config', 'ca-file', 'scenario-file'],
      ),
      ['client-secret', 'password'],
    )
      .options(SIGN_IN_OPTIONS)
      .option('activities', {
        type: 'string',
        array: true,
        describe: `Activities whose Exchange scopes to ask for: ${ACTIVITIES.join(', ')}`,
        group: TARGET,
      })
      .option('cloud', {
        type: 'string',
        choices: Object.keys(CLOUDS),
        describe: 'Microsoft cloud of the tenant (default global)',
        group: TARGET,
      })
      .option('authority-host', {
        type: 'string',
        describe: 'Override the Entra authority host (https URL)',
        group: TARGET,
      })
      .option('ca-file', {
        type: 'string',
        describe: 'PEM file of extra trusted CAs (verification stays on)',
        group: TARGET,
      })
      .option('timeout', { type: 'number', describe: 'Time limit of the request in ms (default 15000)', group: TARGET })
      .option('scope', {
        type: 'string',
        array: true,
        describe: 'Scopes to ask for instead of the Exchange scopes of the activities (space or comma list)',
        group: TOKEN,
      })
      .option('app', { type: 'boolean', describe: 'Client-credentials (app-only) token instead of ROPC', group: TOKEN })
      .option('resource', {
        type: 'string',
        choices: ['exchange', 'graph'],
        default: 'exchange',
        describe: 'Resource of the --app token',
        group: TOKEN,
      })
      .option('raw', {
        type: 'boolean',
        describe: 'Print only the raw access token, for a pipe (refused when stdout is a terminal)',
        group: TOKEN,
      })
      .option('demo', { type: 'boolean', describe: 'Ask the built-in emulated tenant (no network)', group: TOKEN })
      .option('scenario', {
        type: 'string',
        describe: 'Emulated tenant with a named problem (implies --demo)',
        group: TOKEN,
      })
      .option('scenario-file', {
        type: 'string',
        describe: 'Emulated tenant from a JSON file (implies --demo)',
        group: TOKEN,
      })
      .option('verbose', { type: 'boolean', describe: 'Log what happens on stderr', group: TOKEN })
      .conflicts('app', 'scope')
      .conflicts('scenario', 'scenario-file')
      .example('$0 token --demo', "Token of the emulated tenant's connector user, decoded")
      .example(
        '$0 token --config m365-doctor.json --scope https://outlook.office.com/IMAP.AccessAsUser.All',
        'One scope only',
      )
      .example(
        '$0 token --config m365-doctor.json --raw | your-tool',
        'The raw token, into a pipe only',
      ) as unknown as Argv<TokenArgs>, // yargs types keep kebab-case keys
  handler: async (args) => {
    const { runTokenCommand } = await import('../token-command.js');
    process.exitCode = await runTokenCommand(args, processRedactor);
  },
};
