// `m365-doctor migrate --to app-only`: the migration plan for a saved report (--from) or a fresh run with the inputs of `check`.
import { ConfigError } from '../core/errors.js';
import { packageVersion } from '../config/package-root.js';
import type { RunReport } from '../core/result.js';
import { EXIT_OK } from '../runner/exit-code.js';
import { planMigration } from '../support/migration-plan.js';
import type { PlanOptions } from '../support/migration-values.js';
import { migrationScript } from '../support/migration-script.js';
import { migrationPlanText } from '../support/migration-text.js';
import { runCheckCommand } from './check-command.js';
import { MIGRATION_TARGETS, type MigrateArgs } from './migrate-options.js';
import { processRedactor } from './process-redactor.js';
import { refuseRunOnlyFlags, refuseTargets } from './run-only-flags.js';
import { loadSavedReport } from '../runner/saved-report.js';

/** Exit 0 once the plan is printed, whatever the run found: the plan is the product here. */
export async function runMigrateCommand(args: MigrateArgs, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (!(MIGRATION_TARGETS as readonly string[]).includes(args.to)) {
    throw new ConfigError(
      '--to',
      `"${oneWord(args.to)}" is not a migration m365-doctor plans`,
      `Use one of: ${MIGRATION_TARGETS.join(', ')}`,
    );
  }
  refuseTargets(args, 'migrate plans one connector at a time');
  if (args.from) {
    refuseRunOnlyFlags(args);
    process.stdout.write(render(loadSavedReport(args.from, '--from'), args, {}));
    return EXIT_OK;
  }
  const demo =
    args.demo || args.scenario || args.scenarioFile
      ? { scenario: args.scenario, scenarioFile: Boolean(args.scenarioFile) }
      : undefined;
  await runCheckCommand(args, processRedactor, env, { render: (report) => render(report, args, { demo }) });
  return EXIT_OK;
}

function render(report: RunReport, args: MigrateArgs, opts: PlanOptions): string {
  const plan = planMigration(report, opts);
  return args.script === 'powershell' ? migrationScript(plan, { version: packageVersion() }) : migrationPlanText(plan);
}

/** A mistyped value shown without control characters and cut short: it is echoed back. */
function oneWord(value: unknown): string {
  return String(value)
    .replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029]/g, '?')
    .slice(0, 40);
}
