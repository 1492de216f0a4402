// Runs selected checks in-process, with the real clients, against an emulator (healthy unless told) whose
// endpoints a test may point elsewhere: the same path `check --demo` takes, minus the process start.
import { builtinChecks } from '../../../checks/index.js';
import { demoLayer } from '../../../src/cli/demo.js';
import { createClients } from '../../../src/clients/create.js';
import type { RawInputs } from '../../../src/config/inputs.js';
import { resolveConfig } from '../../../src/config/resolve.js';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { silentLogger } from '../../../src/core/log.js';
import { Redactor } from '../../../src/core/redact.js';
import type { CheckResult } from '../../../src/core/result.js';
import { runChecks } from '../../../src/runner/run.js';

export interface FaultRun {
  results: Map<string, CheckResult>;
  wallMs: number;
}

export async function runChecksAgainst(
  emulator: RunningEmulator,
  opts: { only: string[]; timeoutMs: number; override?: RawInputs },
): Promise<FaultRun> {
  const redactor = new Redactor();
  const demo = demoLayer(emulator, {});
  const flags = { values: { ...opts.override, timeoutMs: opts.timeoutMs }, label: (k: string) => `--${k}` };
  const { config } = resolveConfig([flags, demo], redactor);
  const clients = createClients(config, { redactor, log: silentLogger });
  const started = performance.now();
  const { results } = await runChecks({
    checks: builtinChecks,
    config,
    clients,
    redactor,
    log: silentLogger,
    only: opts.only,
  });
  return { results: new Map(results.map((r) => [r.id, r])), wallMs: Math.round(performance.now() - started) };
}
