// The connector profile as the checks read it: which token the mail logins use, and what a profile leaves out.
import type { CheckContext, Outcome } from '../core/check.js';
import type { ConnectorProfile } from '../config/types.js';

export const isAppOnly = (ctx: { config: { profile?: ConnectorProfile } }) => ctx.config.profile === 'app-only';

/** Code text of a check the profile does not use. */
export const NOT_IN_PROFILE = { message: 'Not run: the {profile} connector profile does not use this ({why}).' };

export function notInProfile(ctx: CheckContext, why: string): Outcome<'NOT_IN_PROFILE'> {
  return {
    status: 'skip',
    code: 'NOT_IN_PROFILE',
    skipReason: 'not-applicable',
    data: { profile: ctx.config.profile, why },
  };
}
