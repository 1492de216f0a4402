// `m365-doctor emulator`: runs the emulated tenant until SIGINT/SIGTERM and prints how to point the doctor
// (or any other tool) at it. The credentials printed are the emulator's demo values, not real secrets.
import { FLAG_OF, type InputKey } from '../config/inputs.js';
import { endpointValues } from '../config/validate.js';
import { loadScenarioFile } from '../emulator/scenario-file.js';
import { startEmulator, type RunningEmulator } from '../emulator/index.js';

export interface StandaloneArgs {
  scenario?: string;
  scenarioFile?: string;
  port?: number;
  json: boolean;
}

/** Single-quote for POSIX shells. */
const sh = (s: string) => (/^[A-Za-z0-9@%_+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The exact command that checks the running emulator; secrets go in environment variables, not flags. */
export function checkCommand(e: RunningEmulator): string {
  const c = e.credentials;
  return [
    `M365_DOCTOR_CLIENT_SECRET=${sh(c.clientSecret)}`,
    `M365_DOCTOR_PASSWORD=${sh(c.password)}`,
    `M365_DOCTOR_ADMIN_CLIENT_SECRET=${sh(c.adminClientSecret)}`,
    'm365-doctor check',
    `--tenant ${sh(c.tenantId)}`,
    `--client-id ${sh(c.clientId)}`,
    `--username ${sh(c.username)}`,
    `--admin-client-id ${sh(c.adminClientId)}`,
    ...Object.entries(endpointValues(e)).map(([key, value]) => `${FLAG_OF[key as InputKey]} ${value}`),
    `--ca-file ${sh(e.caFile)}`,
  ].join(' ');
}

export function summary(e: RunningEmulator): Record<string, string> {
  const c = e.credentials;
  return {
    ...endpointValues(e),
    caFile: e.caFile,
    tenantId: c.tenantId,
    clientId: c.clientId,
    clientSecret: c.clientSecret,
    username: c.username,
    password: c.password,
    adminClientId: c.adminClientId,
    adminClientSecret: c.adminClientSecret,
  };
}

function humanText(e: RunningEmulator, scenario: string): string {
  const s = summary(e);
  return [
    `m365-doctor emulator running (${scenario}); demo credentials below are not real secrets.`,
    '',
    `  Entra ID        ${s.authorityHost}`,
    `  Microsoft Graph ${s.graphUrl}`,
    `  IMAP            ${s.imap} (implicit TLS)`,
    `  POP             ${s.pop} (implicit TLS)`,
    `  SMTP            ${s.smtp} (STARTTLS)`,
    `  CA file         ${s.caFile}`,
    '',
    `  Tenant          ${s.tenantId} (${e.credentials.domain})`,
    `  Client id       ${s.clientId}`,
    `  Client secret   ${s.clientSecret}`,
    `  Username        ${s.username}`,
    `  Password        ${s.password}`,
    `  Admin client    ${s.adminClientId}`,
    `  Admin secret    ${s.adminClientSecret}`,
    '',
    'Check it with:',
    `  ${checkCommand(e)}`,
    '',
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}

/** Start, print, run until SIGINT/SIGTERM (or `until` aborts), then stop cleanly. */
export async function runStandaloneEmulator(
  args: StandaloneArgs,
  out: NodeJS.WritableStream,
  opts: { until?: AbortSignal } = {},
): Promise<void> {
  const tenant = args.scenarioFile ? loadScenarioFile(args.scenarioFile) : undefined;
  const emulator = await startEmulator({ scenario: args.scenario, tenant, port: args.port });
  // Listen for the signals before announcing the endpoints: a script may send SIGTERM as soon as it reads them.
  const stopped = new Promise<void>((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      opts.until?.removeEventListener('abort', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
    if (opts.until?.aborted) done();
    else opts.until?.addEventListener('abort', done);
  });
  out.write(
    args.json
      ? `${JSON.stringify(summary(emulator))}\n`
      : humanText(emulator, args.scenarioFile ?? args.scenario ?? 'healthy'),
  );
  await stopped;
  await emulator.stop();
}
