// --demo / --scenario / --scenario-file: start the emulated tenant in-process and point the run at it.
import type { InputLayer, RawInputs } from '../config/inputs.js';
import type { DemoCredentials } from '../emulator/model.js';

type EndpointValue = string | { host: string; port: number };

/** What startEmulator() returns (src/emulator/index.ts). */
export interface EmulatorHandle {
  authorityHost: string;
  graphUrl: string;
  imap: EndpointValue;
  pop: EndpointValue;
  smtp: EndpointValue;
  caPem: string;
  caFile?: string;
  credentials: DemoCredentials;
  stop(): Promise<void> | void;
}

export interface DemoRequest { scenario?: string; scenarioFile?: string }

export interface Demo {
  emulator: EmulatorHandle;
  /** Sits below the flags: `--demo --password wrong` still works. */
  layer: InputLayer;
}

// Loaded only when a demo is asked for: the emulator is heavy and must not slow down --help.
const EMULATOR_MODULE = '../emulator/index.js';

export async function startDemo(request: DemoRequest): Promise<Demo> {
  const mod = (await import(EMULATOR_MODULE)) as { startEmulator(opts: DemoRequest): Promise<EmulatorHandle> };
  const emulator = await mod.startEmulator({ scenario: request.scenario, scenarioFile: request.scenarioFile });
  return { emulator, layer: demoLayer(emulator, request) };
}

export function demoLayer(e: EmulatorHandle, request: DemoRequest): InputLayer {
  const c = e.credentials;
  const values: RawInputs = {
    tenant: c.domain || c.tenantId, clientId: c.clientId, clientSecret: c.clientSecret,
    username: c.username, password: c.password,
    adminClientId: c.adminClientId, adminClientSecret: c.adminClientSecret,
    cloud: 'global', authorityHost: e.authorityHost, graphUrl: e.graphUrl,
    imap: hostPort(e.imap), pop: hostPort(e.pop), smtp: hostPort(e.smtp),
    caPem: e.caPem, caFile: e.caFile,
  };
  const name = request.scenarioFile ? `scenario file ${request.scenarioFile}` : `demo tenant${request.scenario ? ` (${request.scenario})` : ''}`;
  return { values, label: (key) => `${key} of the ${name}` };
}

function hostPort(v: EndpointValue): string {
  return typeof v === 'string' ? v : `${v.host.includes(':') ? `[${v.host}]` : v.host}:${v.port}`;
}
