// Accepted exceptions (config `exceptions`): a known, accepted finding is reported as skip with its reason.
// Only fail and warn can be accepted: an error means the check could not decide, so there is nothing to accept.
import type { AcceptedException } from '../config/types.js';
import type { Redactor } from '../core/redact.js';
import type { CheckResult } from '../core/result.js';

/** `today` is YYYY-MM-DD; an exception applies up to and including its `expires` day. */
export function applyExceptions(
  result: CheckResult,
  exceptions: readonly AcceptedException[],
  today: string,
  redactor: Redactor,
): CheckResult {
  if (result.status !== 'fail' && result.status !== 'warn') return result;
  const mine = exceptions.filter((e) => e.id === result.id);
  if (!mine.length) return result;
  const accepted = mine.find((e) => !e.expires || e.expires >= today);
  if (!accepted) return expiredNote(result, newestExpiry(mine), redactor);
  return {
    ...result,
    status: 'skip',
    skipReason: 'accepted-exception',
    message: redactor.scrub(
      `Accepted exception (${accepted.reason}${accepted.expires ? `, until ${accepted.expires}` : ''}): ${result.message}`,
    ),
    // What the check really found stays in the report, so an audit can see what was accepted.
    evidence: {
      ...result.evidence,
      acceptedStatus: result.status,
      acceptedCode: result.code ?? null,
      exceptionReason: redactor.scrub(accepted.reason),
      exceptionExpires: accepted.expires ?? null,
    },
  };
}

/** The finding stands; the message says an exception existed and when it stopped applying. */
function expiredNote(result: CheckResult, expired: AcceptedException, redactor: Redactor): CheckResult {
  return {
    ...result,
    message: redactor.scrub(
      `${result.message} (The accepted exception for this check expired on ${expired.expires}: ` +
        `${expired.reason}. Renew it in the config's exceptions or fix the finding.)`,
    ),
    evidence: {
      ...result.evidence,
      exceptionExpired: expired.expires ?? null,
      exceptionReason: redactor.scrub(expired.reason),
    },
  };
}

function newestExpiry(list: readonly AcceptedException[]): AcceptedException {
  return list.reduce((a, b) => ((b.expires ?? '') > (a.expires ?? '') ? b : a));
}
