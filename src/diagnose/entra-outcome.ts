// Turns an Entra ID error answer into a check outcome: the AADSTS code, its evidence, and the run's ids for the fix text.
import type { CheckContext, Outcome } from '../check.js';
import { EntraError } from '../errors.js';

/** Fields every AADSTS remediation template may use. */
export function entraData(ctx: CheckContext): Record<string, string> {
  const c = ctx.config;
  return { tenant: c.tenant, clientId: c.clientId, username: c.username, authorityHost: c.endpoints.authorityHost };
}

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

/** A failed outcome for an EntraError; other errors are rethrown for the runner to report as `error`. */
export function entraFailure(ctx: CheckContext, err: unknown): Outcome<never> {
  if (!(err instanceof EntraError) || !err.info.aadsts) throw err;
  return { status: 'fail', code: `AADSTS${err.info.aadsts}`, data: { ...entraData(ctx), ...err.data }, evidence: entraEvidence(err) };
}
