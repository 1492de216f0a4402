// An Entra refusal as the outcome of a check that adds to it (ropc-token names the check that explains the refusal).
// Other checks declare meta.entraRefusal: 'fail' and leave it to the runner; both use src/runner/entra-refusal.ts.
import type { CheckContext, Outcome } from '../core/check.js';
import { entraRefusalOutcome } from '../runner/entra-refusal.js';

/** Fields every AADSTS remediation template may use. */
export function entraData(ctx: CheckContext): Record<string, string> {
  const c = ctx.config;
  return { tenant: c.tenant, clientId: c.clientId, username: c.username, authorityHost: c.endpoints.authorityHost };
}

/** A failed outcome for an Entra refusal; other errors are rethrown for the runner to report as `error`. */
export function entraFailure(ctx: CheckContext, err: unknown): Outcome<never> {
  const outcome = entraRefusalOutcome(err);
  if (!outcome) throw err;
  return { ...outcome, data: { ...entraData(ctx), ...outcome.data } };
}
