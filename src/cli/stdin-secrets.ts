// Secrets piped on stdin: one per line, in the order client secret, password, admin client secret.
import { ConfigError } from '../errors.js';

export type StdinSecret = 'clientSecret' | 'password' | 'adminClientSecret';
const ORDER: readonly [StdinSecret, string][] = [
  ['clientSecret', '--client-secret-stdin'], ['password', '--password-stdin'], ['adminClientSecret', '--admin-client-secret-stdin'],
];

export async function readStdinSecrets(wanted: Partial<Record<StdinSecret, boolean>>,
  stdin: NodeJS.ReadStream = process.stdin): Promise<Partial<Record<StdinSecret, string>>> {
  const requested = ORDER.filter(([key]) => wanted[key]);
  if (!requested.length) return {};
  const flags = requested.map(([, flag]) => flag).join(' and ');
  if (stdin.isTTY) {
    throw new ConfigError(flags, 'stdin is a terminal, where the secret would be echoed',
      'Pipe it in, e.g. printf \'%s\\n\' "$SECRET" | m365-doctor check ... (one line per -stdin flag)');
  }
  let text = '';
  for await (const chunk of stdin) text += String(chunk);
  const lines = text.split(/\r?\n/);
  const out: Partial<Record<StdinSecret, string>> = {};
  requested.forEach(([key, flag], i) => {
    const value = lines[i];
    if (value === undefined || value === '') {
      throw new ConfigError(flag, `expected line ${i + 1} of stdin to hold the secret, but it is empty`,
        `Pipe one line per -stdin flag, in this order: ${requested.map(([, f]) => f).join(', ')}`);
    }
    out[key] = value;
  });
  return out;
}
