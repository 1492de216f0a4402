// Secrets piped on stdin: one per line, in the order client secret, password, admin client secret; on a
// terminal, typed at hidden prompts.
import { ConfigError } from '../core/errors.js';

export type StdinSecret = 'clientSecret' | 'password' | 'adminClientSecret';
const ORDER: readonly [StdinSecret, string][] = [
  ['clientSecret', '--client-secret-stdin'],
  ['password', '--password-stdin'],
  ['adminClientSecret', '--admin-client-secret-stdin'],
];

const QUESTION: Record<StdinSecret, string> = {
  clientSecret: 'Client secret',
  password: 'Password',
  adminClientSecret: 'Directory-reader app client secret',
};

/**
 * On a terminal (stdin and stderr both), each secret is asked for with a hidden prompt instead: a terminal
 * would echo a line typed into a pipe read.
 */
export async function readStdinSecrets(
  wanted: Partial<Record<StdinSecret, boolean>>,
  stdin: NodeJS.ReadStream = process.stdin,
  stderr: NodeJS.WriteStream = process.stderr,
): Promise<Partial<Record<StdinSecret, string>>> {
  const requested = ORDER.filter(([key]) => wanted[key]);
  if (!requested.length) return {};
  const flags = requested.map(([, flag]) => flag).join(' and ');
  if (stdin.isTTY && stderr.isTTY) {
    const { askHidden } = await import('./hidden-prompt.js');
    const typed: Partial<Record<StdinSecret, string>> = {};
    for (const [key, flag] of requested) {
      const value = await askHidden(`${QUESTION[key]} (${flag}, hidden): `, { stdin, stderr });
      if (!value)
        throw new ConfigError(flag, 'nothing was typed at the prompt', 'Type the secret, or pipe it in on stdin');
      typed[key] = value;
    }
    return typed;
  }
  if (stdin.isTTY) {
    throw new ConfigError(
      flags,
      'stdin is a terminal but stderr is not, so there is nowhere to ask without echo',
      'Pipe it in, e.g. printf \'%s\\n\' "$SECRET" | m365-doctor check ... (one line per -stdin flag)',
    );
  }
  let text = '';
  for await (const chunk of stdin) text += String(chunk);
  const lines = text.split(/\r?\n/);
  const out: Partial<Record<StdinSecret, string>> = {};
  requested.forEach(([key, flag], i) => {
    const value = lines[i];
    if (value === undefined || value === '') {
      throw new ConfigError(
        flag,
        `expected line ${i + 1} of stdin to hold the secret, but it is empty`,
        `Pipe one line per -stdin flag, in this order: ${requested.map(([, f]) => f).join(', ')}`,
      );
    }
    out[key] = value;
  });
  return out;
}
