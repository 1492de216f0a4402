// app-roles-exchange: admin consent for IMAP.AccessAsApp / POP.AccessAsApp (/ SMTP.SendAsApp), as profile and activities need.
import { defineCheck } from '../src/check.js';
import { APP_ROLE_CODES, judgeAppRoles } from '../src/diagnose/app-roles.js';
import { profileNeeds, requiredExchangeRoles } from '../src/permissions.js';

export default defineCheck({
  meta: {
    id: 'app-roles-exchange',
    title: 'Exchange application permissions consented',
    category: 'token',
    // Its input is an app-only Exchange token, which needs the app's valid credentials.
    dependsOn: ['app-credentials'],
    // An Entra refusal (AADSTS) is this check's finding: the runner reports it as fail with Entra's answer.
    entraRefusal: 'fail',
    // Read only to name the root cause of a missing role: not requested by the app, or requested but not consented.
    consults: ['app-registration', 'admin-consent'],
    description: 'Reads the roles claim of the app-only Exchange Online token. App-only mailbox access needs IMAP.AccessAsApp ' +
      '(read-imap) and POP.AccessAsApp (read-pop) from "Office 365 Exchange Online", consented by an administrator; the app-only ' +
      'profile also SMTP.SendAsApp (send-smtp). The delegated profile needs none of them: what the token holds is only mentioned.',
    codes: {
      ROLES_OK: APP_ROLE_CODES.ROLES_OK,
      ROLES_NOT_NEEDED: APP_ROLE_CODES.ROLES_NOT_NEEDED,
      ROLES_MISSING: APP_ROLE_CODES.ROLES_MISSING,
      ROLES_UNREADABLE: APP_ROLE_CODES.ROLES_UNREADABLE,
      NOT_NEEDED: { message: 'No reading activity chosen: no Exchange application permission is needed.' },
    },
  },
  async run(ctx) {
    const needed = profileNeeds(ctx.config.activities, ctx.config.profile).exchangeRoles;
    if (needed.length === 0 && ctx.config.profile !== 'delegated') return { status: 'skip', code: 'NOT_NEEDED', skipReason: 'not-applicable' };
    return judgeAppRoles(ctx, 'exchange', needed, requiredExchangeRoles(ctx.config.activities));
  },
});
