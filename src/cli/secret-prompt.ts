// Secrets a run still lacks are asked for on the terminal, hidden, when the run is interactive (stdin and
// stderr are terminals) or --prompt says so; never when stdin is not a terminal (CI), and never with --no-prompt.
import type { InputLayer } from '../config/inputs.js';
import { unsetSecretError, type UnsetSecret } from '../config/file.js';
import { ConfigError } from '../core/errors.js';
import type { Redactor } from '../core/redact.js';
import { askHidden, type HiddenPromptIo } from './hidden-prompt.js';

export type SecretKey = 'clientSecret' | 'password' | 'adminClientSecret';

/** What each secret belongs to: it is asked only when that is known (no password question without a user). */
const QUESTIONS: readonly [SecretKey, 'clientId' | 'username' | 'adminClientId', (owner: string) => string][] = [
  ['clientSecret', 'clientId', (id) => `Client secret of app ${id} (hidden; Enter for none, a public client): `],
  ['password', 'username', (upn) => `Password of ${upn} (hidden): `],
  ['adminClientSecret', 'adminClientId', (id) => `Client secret of the directory-reader app ${id} (hidden): `],
];

export function defaultPromptIo(): HiddenPromptIo & { interactive: boolean } {
  return {
    stdin: process.stdin,
    stderr: process.stderr,
    interactive: process.stdin.isTTY === true && process.stderr.isTTY === true,
  };
}

/** Whether to ask: --prompt (refused without a terminal), --no-prompt, else only on a terminal. */
export function shouldPrompt(
  flag: boolean | undefined,
  io: { stdin: NodeJS.ReadStream; interactive: boolean },
): boolean {
  if (flag === false) return false;
  if (flag === true && !io.stdin.isTTY) {
    throw new ConfigError(
      '--prompt',
      'stdin is not a terminal, so there is nobody to ask',
      'Give the secrets in the environment (M365_DOCTOR_CLIENT_SECRET, M365_DOCTOR_PASSWORD), the config file or a -stdin flag',
    );
  }
  return flag === true || io.interactive;
}

/**
 * Asks for each secret no layer holds, and returns them as the layer above the others. A config-file secret whose
 * variable is unset (`unset`) is asked for too; without an answer it is the same error as without a terminal.
 */
export async function promptMissingSecrets(
  layers: readonly (InputLayer | undefined)[],
  unset: Partial<Record<SecretKey, UnsetSecret>>,
  redactor: Redactor,
  io: HiddenPromptIo,
  only: readonly SecretKey[] = ['clientSecret', 'password', 'adminClientSecret'],
): Promise<InputLayer> {
  const given = (key: string) =>
    layers.map((l) => l?.values[key as SecretKey]).find((v) => typeof v === 'string' && v !== '');
  const values: Partial<Record<SecretKey, string>> = {};
  for (const [key, ownerKey, question] of QUESTIONS) {
    const owner = given(ownerKey);
    if (!only.includes(key) || given(key) !== undefined || owner === undefined) continue;
    const answer = await askHidden(question(owner), io);
    if (answer) {
      redactor.add(answer);
      values[key] = answer;
    }
  }
  for (const [key, ref] of Object.entries(unset) as [SecretKey, UnsetSecret][]) {
    if (values[key] === undefined) throw unsetSecretError(ref.label, ref.env);
  }
  return { values, label: (key) => `${key} (typed at the prompt)` };
}
