// The M365_DOCTOR_* environment that points the built CLI at an emulator this test process started,
// so a test can read the emulator's request log while the CLI runs as a separate process.
import type { RunningEmulator } from '../../../src/emulator/index.js';

const hostPort = (h: { host: string; port: number }) => `${h.host}:${h.port}`;

export function emulatorEnv(e: RunningEmulator, over: Record<string, string> = {}): Record<string, string> {
  const c = e.credentials;
  return {
    M365_DOCTOR_TENANT: c.domain || c.tenantId,
    M365_DOCTOR_CLIENT_ID: c.clientId,
    M365_DOCTOR_CLIENT_SECRET: c.clientSecret,
    M365_DOCTOR_USERNAME: c.username,
    M365_DOCTOR_PASSWORD: c.password,
    M365_DOCTOR_ADMIN_CLIENT_ID: c.adminClientId,
    M365_DOCTOR_ADMIN_CLIENT_SECRET: c.adminClientSecret,
    M365_DOCTOR_AUTHORITY_HOST: e.authorityHost,
    M365_DOCTOR_GRAPH_URL: e.graphUrl,
    M365_DOCTOR_IMAP: hostPort(e.imap),
    M365_DOCTOR_POP: hostPort(e.pop),
    M365_DOCTOR_SMTP: hostPort(e.smtp),
    M365_DOCTOR_CA_FILE: e.caFile,
    ...over,
  };
}
