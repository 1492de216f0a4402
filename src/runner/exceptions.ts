// Accepted exceptions (config `exceptions`): a known, accepted finding is reported as skip with its reason.
import type { AcceptedException } from '../config/types.js';
import type { Redactor } from '../redact.js';
import type { CheckResult } from '../result.js';

export function applyExceptions(result: CheckResult, exceptions: readonly AcceptedException[], today: string,
  redactor: Redactor): CheckResult {
  if (result.status !== 'fail' && result.status !== 'warn') return result;
  const accepted = exceptions.find((e) => e.id === result.id && (!e.expires || e.expires >= today));
  if (!accepted) return result;
  return {
    ...result,
    status: 'skip',
    skipReason: 'accepted-exception',
    message: redactor.scrub(`Accepted exception (${accepted.reason}${accepted.expires ? `, until ${accepted.expires}` : ''}): ${result.message}`),
    evidence: { ...result.evidence, acceptedStatus: result.status },
  };
}
