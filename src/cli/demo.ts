// --demo / --scenario / --scenario-file: start the emulated tenant in-process and point the run at it.
import { endpointValues } from '../config/validate.js';
import { ENV_OF } from '../config/env.js';
import type { InputKey, InputLayer, RawInputs } from '../config/inputs.js';
import type { RunningEmulator } from '../emulator/index.js';

export interface DemoRequest {
  scenario?: string;
  scenarioFile?: string;
}

export interface Demo {
  emulator: RunningEmulator;
  /** Sits below the flags: `--demo --password wrong` still works. */
  layer: InputLayer;
}

export async function startDemo(request: DemoRequest): Promise<Demo> {
  // Loaded only when a demo is asked for: the emulator is heavy and must not slow down anything else.
  const { startEmulator } = await import('../emulator/index.js');
  const { loadScenarioFile } = await import('../emulator/scenario-file.js');
  const tenant = request.scenarioFile ? loadScenarioFile(request.scenarioFile) : undefined;
  const emulator = await startEmulator({ scenario: request.scenario, tenant });
  return { emulator, layer: demoLayer(emulator, request) };
}

export function demoLayer(
  e: Pick<RunningEmulator, 'authorityHost' | 'graphUrl' | 'imap' | 'pop' | 'smtp' | 'caPem' | 'caFile' | 'credentials'>,
  request: DemoRequest,
): InputLayer {
  const c = e.credentials;
  const values: RawInputs = {
    tenant: c.domain || c.tenantId,
    clientId: c.clientId,
    clientSecret: c.clientSecret,
    username: c.username,
    password: c.password,
    // The emulator's auditing app is the directory reader, so the demo shows every check.
    adminClientId: c.adminClientId,
    adminClientSecret: c.adminClientSecret,
    cloud: 'global',
    ...endpointValues(e),
    caPem: e.caPem,
    caFile: e.caFile,
  };
  const name = request.scenarioFile
    ? `scenario file ${request.scenarioFile}`
    : `demo tenant${request.scenario ? ` (${request.scenario})` : ''}`;
  return { values, label: (key) => `${key} of the ${name}` };
}

/** The same inputs as M365_DOCTOR_* variables: a CLI started as another process then checks that emulator. */
export function demoEnv(e: Parameters<typeof demoLayer>[0]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(demoLayer(e, {}).values)) {
    const name = ENV_OF[key as InputKey];
    if (name && typeof value === 'string') env[name] = value;
  }
  return env;
}
