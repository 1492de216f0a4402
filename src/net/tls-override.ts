// NODE_TLS_REJECT_UNAUTHORIZED=0 would turn certificate checks off for every TLS client that does not insist.
// m365-doctor insists (VERIFY_PEER on every client) and removes the variable at start, so neither its clients
// nor a library's see it; the user is told, on stderr and in the report, that it was set and ignored.
const VARIABLE = 'NODE_TLS_REJECT_UNAUTHORIZED';
let ignored: string | undefined;

/** Call first thing: takes the variable out of the environment and remembers that it was there. */
export function ignoreTlsOverride(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[VARIABLE];
  if (value === undefined) return undefined;
  delete env[VARIABLE];
  if (value === '1') return undefined; // the default: nothing was turned off
  ignored = `${VARIABLE}=${JSON.stringify(value).slice(1, -1).slice(0, 20)} is set in the environment and was ignored: `
    + 'm365-doctor always verifies TLS certificates (use --ca-file to trust an inspecting proxy or a private CA)';
  return ignored;
}

const noted: string[] = [];

/** Another warning about the machine the report should carry (e.g. a config file others can read). */
export function noteEnvironmentWarning(text: string): void {
  if (!noted.includes(text)) noted.push(text);
}

/** Warnings about the run's environment, for the report. */
export function environmentWarnings(): string[] {
  return [...(ignored ? [ignored] : []), ...noted];
}
