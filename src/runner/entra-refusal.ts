// The policy for Entra refusals, in one place: a check that declares meta.entraRefusal 'fail' has an Entra answer with
// an AADSTS code reported as its finding (fail, that code, Entra's answer as evidence) instead of `error`. The runner
// applies it to what run() throws; entraFailure (diagnose/entra-outcome.ts) for a check that adds to the outcome.
import type { Outcome } from '../core/check.js';
import { isTransientAadsts } from '../m365/aadsts.js';
import { EntraError } from '../core/errors.js';

/**
 * The fail outcome of an Entra refusal; undefined for anything else: no AADSTS code, or a transient one (an outage on
 * Entra's side such as AADSTS90033), when the check could not decide and the runner reports an error.
 */
export function entraRefusalOutcome(err: unknown): Outcome<never> | undefined {
  if (!(err instanceof EntraError) || !err.info.aadsts || isTransientAadsts(err.info.aadsts)) return undefined;
  return { status: 'fail', code: `AADSTS${err.info.aadsts}`, data: { ...err.data }, evidence: entraEvidence(err) };
}

/** Entra's answer as evidence: what a support ticket to Microsoft needs (trace and correlation ids). */
export function entraEvidence(err: EntraError): Record<string, string | number | null> {
  const i = err.info;
  return {
    httpStatus: i.httpStatus,
    error: i.error,
    errorCodes: i.errorCodes.join(','),
    suberror: i.suberror ?? null,
    description: i.description,
    traceId: i.traceId ?? null,
    correlationId: i.correlationId ?? null,
    timestamp: i.timestamp ?? null,
  };
}
