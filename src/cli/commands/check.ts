// Command module: `m365-doctor check`. The handler loads the engine lazily so --help stays fast.
import type { Argv, CommandModule } from 'yargs';
import { checkOptions, type CheckArgs } from '../check-options.js';
import { processRedactor } from '../process-redactor.js';

export const checkCommand: CommandModule<object, CheckArgs> = {
  command: 'check',
  describe: 'Check the tenant, app and mailbox a connector uses, then log into IMAP, POP and SMTP',
  builder: (y: Argv) =>
    checkOptions(y)
      .example('$0 check --demo', 'Check the built-in emulated tenant')
      .example(
        'printf "%s\\n" "$SECRET" "$PW" | $0 check --tenant contoso.com --client-id ID --username box@contoso.com --client-secret-stdin --password-stdin',
        'Secrets from stdin',
      )
      .example(
        '$0 check --config m365-doctor.json --report junit:out/junit.xml',
        'Config file, plus a JUnit report for CI',
      ) as Argv<CheckArgs>,
  handler: async (args) => {
    if (args.targets !== undefined) {
      const { runFleetCommand } = await import('../fleet-command.js');
      process.exitCode = await runFleetCommand({ ...args, targets: args.targets }, processRedactor);
      return;
    }
    const { runCheckCommand } = await import('../check-command.js');
    process.exitCode = await runCheckCommand(args, processRedactor);
  },
};
