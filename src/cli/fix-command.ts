// `m365-doctor fix`: a fix script for a saved report (--from) or for a fresh run with the inputs of `check`.
import { ConfigError } from '../core/errors.js';
import { powershellFixScript } from '../support/powershell-script.js';
import { EXIT_OK } from '../runner/exit-code.js';
import { runCheckCommand } from './check-command.js';
import type { CheckArgs } from './check-options.js';
import type { FixArgs } from './fix-options.js';
import { processRedactor } from './process-redactor.js';
import { loadSavedReport } from '../runner/saved-report.js';
import { remediationCatalog, type RemediationCatalog } from '../support/trusted-remediation.js';

/** Options that only mean something for a fresh run; with --from they would be silently ignored, so they are refused. */
export const RUN_ONLY: (keyof CheckArgs)[] = [
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

/** Exit 0 once the script is printed, whatever the run found: the script is the product here. */
export async function runFixCommand(args: FixArgs, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (args.from) {
    const given = RUN_ONLY.filter((k) => args[k] !== undefined && args[k] !== false);
    if (given.length) {
      const flags = given.map((k) => `--${String(k).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ');
      throw new ConfigError(
        '--from',
        `reads a saved report, so ${flags} would have no effect`,
        'Drop them, or drop --from to run the checks now',
      );
    }
    process.stdout.write(powershellFixScript(loadSavedReport(args.from, '--from'), { catalog: await fixCatalog() }));
    return EXIT_OK;
  }
  const catalog = await fixCatalog();
  await runCheckCommand(args, processRedactor, env, { render: (report) => powershellFixScript(report, { catalog }) });
  return EXIT_OK;
}

/** Commands come only from the built-in checks' own remediation templates (plugins' texts stay comments). */
async function fixCatalog(): Promise<RemediationCatalog> {
  const { builtinChecks } = await import('../../checks/index.js');
  return remediationCatalog(builtinChecks);
}
