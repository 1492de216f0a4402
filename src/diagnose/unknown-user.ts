// A check that needs the user (to log in as, or to open the mailbox of) does not run when user-account found none:
// its result could only repeat that finding.
import type { CheckContext, Outcome } from '../core/check.js';

/** The check's skip, caused by user-account's USER_NOT_FOUND; undefined when the user was found or not looked up. */
export function skipForUnknownUser<Code extends string>(
  ctx: CheckContext,
  code: Code,
  data: Outcome['data'],
): Outcome<Code> | undefined {
  if (ctx.upstream('user-account')?.code !== 'USER_NOT_FOUND') return undefined;
  return { status: 'skip', code, skipReason: 'dependency-failed', causedBy: 'user-account', data };
}
