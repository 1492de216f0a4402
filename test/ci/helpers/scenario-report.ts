// The saved report of one emulated scenario's run, as `fix --from` and `migrate --from` read it.
import type { RunReport } from '../../../src/core/result.js';
import { Redactor } from '../../../src/core/redact.js';
import { buildReport } from '../../../src/runner/report.js';
import { runScenario } from '../../checks/run-scenario.js';
import { testConfig } from '../../helpers/engine-fixtures.js';

/** Runs every check on the scenario; `extra` goes to the run (a `profile` in it also to the report's config). */
export async function scenarioReport(name: string, extra: Record<string, unknown> = {}): Promise<RunReport> {
  const started = new Date();
  const { results, emulator } = await runScenario(name, extra);
  const config = testConfig({
    tenant: 'm365doctordemo.onmicrosoft.com',
    clientId: emulator.credentials.clientId,
    username: emulator.credentials.username,
    ...(extra.profile ? { profile: extra.profile as 'app-only' } : {}),
  });
  return buildReport({
    version: '0.1.0',
    config,
    results: [...results.values()],
    startedAt: started,
    finishedAt: new Date(),
    redactor: new Redactor(),
  });
}
