// NODE_TLS_REJECT_UNAUTHORIZED=0 would turn certificate checks off for every TLS client that does not insist.
// m365-doctor insists (VERIFY_PEER on every client) and removes the variable at start, so neither its clients
// nor a library's see it; the user is told, on stderr and in the report, that it was set and ignored.
import { noteEnvironmentWarning } from '../runner/environment-warnings.js';

const VARIABLE = 'NODE_TLS_REJECT_UNAUTHORIZED';

/** Call first thing: takes the variable out of the environment and remembers that it was there. */
export function ignoreTlsOverride(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[VARIABLE];
  if (value === undefined) return undefined;
  delete env[VARIABLE];
  if (value === '1') return undefined; // the default: nothing was turned off
  const warning =
    `${VARIABLE}=${JSON.stringify(value).slice(1, -1).slice(0, 20)} is set in the environment and was ignored: ` +
    'm365-doctor always verifies TLS certificates (use --ca-file to trust an inspecting proxy or a private CA)';
  noteEnvironmentWarning(warning);
  return warning;
}
