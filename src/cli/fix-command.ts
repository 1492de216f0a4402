// `m365-doctor fix`: a fix script for a saved report (--from) or for a fresh run with the inputs of `check`.
import { powershellFixScript } from '../support/powershell-script.js';
import { EXIT_OK } from '../runner/exit-code.js';
import { runCheckCommand } from './check-command.js';
import type { FixArgs } from './fix-options.js';
import { processRedactor } from './process-redactor.js';
import { refuseRunOnlyFlags, refuseTargets } from './run-only-flags.js';
import { loadSavedReport } from '../runner/saved-report.js';
import { remediationCatalog, type RemediationCatalog } from '../support/trusted-remediation.js';

/** Exit 0 once the script is printed, whatever the run found: the script is the product here. */
export async function runFixCommand(args: FixArgs, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  // Else the fleet file would be ignored and the script written for the environment's one connector.
  refuseTargets(args, 'fix writes a script for one connector at a time');
  if (args.from) {
    refuseRunOnlyFlags(args);
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
