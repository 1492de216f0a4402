// An Entra refusal as the outcome of a check that adds to it (ropc-token names the check that explains the refusal).
// Other checks declare meta.entraRefusal: 'fail' and leave it to the runner; both use src/runner/entra-refusal.ts.
import type { CheckContext, Outcome } from '../core/check.js';
import type { CheckResult } from '../core/result.js';
import { entraRefusalOutcome } from '../runner/entra-refusal.js';

/**
 * A failed outcome for an Entra refusal; other errors are rethrown for the runner to report as `error`. The
 * templates' tenant, clientId, username and authorityHost come from the runner's defaults, as for every check.
 */
export function entraFailure(err: unknown): Outcome<never> {
  const outcome = entraRefusalOutcome(err);
  if (!outcome) throw err;
  return outcome;
}

/** Entra refusals (AADSTS code) a consulted check can explain: that check, and the finding of it that does. */
export type RefusalCauses = Record<string, { check: string; when: (r: CheckResult) => boolean }>;

/** The consulted check whose finding explains Entra's refusal `code`, when that check found it. */
export async function explainRefusal(
  ctx: CheckContext,
  code: string,
  causes: RefusalCauses,
): Promise<string | undefined> {
  const cause = causes[code];
  if (!cause) return undefined;
  const r = await ctx.settled(cause.check);
  return r && (r.status === 'fail' || r.status === 'warn') && cause.when(r) ? cause.check : undefined;
}
