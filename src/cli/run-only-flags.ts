// Commands for one connector (fix, migrate) refuse what they would otherwise ignore: the options of a fresh run next
// to a saved report (--from), and a fleet's targets file.
import { ConfigError } from '../core/errors.js';
import type { CheckArgs } from './check-options.js';

/** Options that only mean something for a fresh run; with --from they would be silently ignored, so they are refused. */
const RUN_ONLY: (keyof CheckArgs)[] = [
  'config',
  'tenant',
  'clientId',
  'clientSecret',
  'clientSecretStdin',
  'username',
  'password',
  'passwordStdin',
  'activities',
  'cloud',
  'authorityHost',
  'graphUrl',
  'imap',
  'pop',
  'smtp',
  'caFile',
  'admin',
  'adminClientId',
  'adminClientSecret',
  'adminClientSecretStdin',
  'sendTestMail',
  'only',
  'skip',
  'timeout',
  'report',
  'plugin',
  'demo',
  'scenario',
  'scenarioFile',
];

/** Throws when any option of a fresh run is given next to --from. */
export function refuseRunOnlyFlags(args: CheckArgs): void {
  const given = RUN_ONLY.filter((k) => args[k] !== undefined && args[k] !== false);
  if (given.length) {
    const flags = given.map((k) => `--${String(k).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ');
    throw new ConfigError(
      '--from',
      `reads a saved report, so ${flags} would have no effect`,
      'Drop them, or drop --from to run the checks now',
    );
  }
}

/** Throws when a targets file is given to a command for one connector; `problem` says so in the command's words. */
export function refuseTargets(args: CheckArgs, problem: string): void {
  if (args.targets === undefined) return;
  throw new ConfigError(
    '--targets',
    problem,
    "Give that connector's tenant, app and mailbox (or --from its saved report)",
  );
}
