// A secret flag takes exactly one value. Given twice, which one the user meant is a guess; given without a
// value, a run would go on without the secret: both are usage errors naming the flag (never the value).
import type { Argv } from 'yargs';
import { ConfigError } from '../core/errors.js';

export const SECRET_FLAGS = {
  'client-secret': '--client-secret-stdin',
  password: '--password-stdin',
  'admin-client-secret': '--admin-client-secret-stdin',
} as const;

export function oneSecretValue(flag: string, better: string) {
  return (value: unknown): unknown => {
    if (Array.isArray(value))
      throw new ConfigError(`--${flag}`, 'is given more than once', `Give it once (better: ${better})`);
    if (value === '' || value === undefined || value === null)
      throw new ConfigError(`--${flag}`, 'has no value', `Give the value after it (better: ${better})`);
    return value;
  };
}

/** Applies the one-value rule to the secret flags the command has. */
export function secretFlagsOnce<T>(
  y: Argv<T>,
  flags: readonly (keyof typeof SECRET_FLAGS)[] = Object.keys(SECRET_FLAGS) as (keyof typeof SECRET_FLAGS)[],
): Argv<T> {
  let out = y;
  for (const f of flags) out = out.coerce(f, oneSecretValue(f, SECRET_FLAGS[f])) as Argv<T>;
  return out;
}
