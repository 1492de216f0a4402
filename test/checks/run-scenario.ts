// Runs every built-in check in-process against the emulator started with one scenario, as `check --demo --scenario X` does.
import { builtinChecks } from '../../checks/index.js';
import { demoLayer } from '../../src/cli/demo.js';
import { createClients } from '../../src/clients/create.js';
import { resolveConfig } from '../../src/config/resolve.js';
import { startEmulator, type RunningEmulator, type StartEmulatorOptions } from '../../src/emulator/index.js';
import type { DemoCredentials, TenantModel } from '../../src/emulator/model.js';
import { silentLogger } from '../../src/core/log.js';
import { Redactor } from '../../src/core/redact.js';
import type { CheckResult } from '../../src/core/result.js';
import { runChecks } from '../../src/runner/run.js';

export interface ScenarioRun {
  results: Map<string, CheckResult>;
  emulator: RunningEmulator;
}

export async function runScenario(scenario: string, extra: Record<string, unknown> = {}): Promise<ScenarioRun> {
  return runOn({ scenario }, extra);
}

/** The same run against a tenant built in the test (e.g. healthyTenant() with one change). */
export function runTenant(
  tenant: { tenant: TenantModel; credentials: DemoCredentials },
  extra: Record<string, unknown> = {},
): Promise<ScenarioRun> {
  return runOn({ tenant }, extra);
}

async function runOn(
  opts: StartEmulatorOptions & { scenario?: string },
  extra: Record<string, unknown>,
): Promise<ScenarioRun> {
  const emulator = await startEmulator(opts);
  const scenario = opts.scenario;
  try {
    const redactor = new Redactor();
    const layer = demoLayer(emulator, { scenario });
    const { config } = resolveConfig([{ values: { ...layer.values, ...extra }, label: layer.label }], redactor);
    const clients = createClients(config, { redactor, log: silentLogger });
    const { results } = await runChecks({ checks: builtinChecks, config, clients, redactor, log: silentLogger });
    return { results: new Map(results.map((r) => [r.id, r])), emulator };
  } finally {
    await emulator.stop();
  }
}
