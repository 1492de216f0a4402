// A check whose own input was not given does not run: it names the missing input and points at the config check.
import type { CheckContext, Outcome } from '../core/check.js';

export type InputName = 'tenant' | 'clientId' | 'username' | 'password';

const NOT_A_TENANT = ['common', 'consumers', 'organizations'];

/** The code text every input-gated check declares for its skip. */
export const NO_INPUT = { message: 'Not run: no {missing} was given (the config check says how to give it).' };

/** A skip naming the missing inputs, or undefined when every one is there. */
export function missingInput(ctx: CheckContext, names: readonly InputName[]): Outcome<'NO_INPUT'> | undefined {
  const c = ctx.config;
  const missing = names
    .filter((n) => {
      if (n === 'tenant') return !c.tenant || NOT_A_TENANT.includes(c.tenant.toLowerCase());
      if (n === 'password') return !c.password;
      return !c[n];
    })
    .map((n) => (n === 'tenant' && c.tenant ? 'specific tenant' : n));
  if (!missing.length) return undefined;
  return {
    status: 'skip',
    code: 'NO_INPUT',
    skipReason: 'dependency-failed',
    causedBy: 'config',
    data: { missing: missing.join(', ') },
  };
}
