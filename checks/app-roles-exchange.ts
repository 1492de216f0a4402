// app-roles-exchange: admin consent for IMAP.AccessAsApp / POP.AccessAsApp (/ SMTP.SendAsApp), as profile and activities need.
import { defineCheck } from '../src/core/check.js';
import { APP_ROLE_CODES, judgeAppRoles } from '../src/diagnose/app-roles.js';
import { readRoles } from '../src/auth/claims.js';
import { profileNeeds, requiredExchangeRoles } from '../src/m365/permissions.js';

// RBAC for Applications: https://learn.microsoft.com/exchange/client-developer/legacy-protocols/smtp-app-rbac-onboarding
const BY_LOGIN =
  'Exchange may grant it through RBAC for Applications (the role "Application SMTP.SendAsApp" assigned with a management scope), for which Microsoft advises ' +
  "against consenting the unscoped permission; smtp-login's app-only login decides whether Exchange lets the app send as the mailbox.";

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
    description:
      'Reads the roles claim of the app-only Exchange Online token. App-only mailbox access needs IMAP.AccessAsApp ' +
      '(read-imap) and POP.AccessAsApp (read-pop) from "Office 365 Exchange Online", consented by an administrator. The app-only ' +
      'profile sends with SMTP.SendAsApp (send-smtp) in the token or with an RBAC for Applications assignment in Exchange instead: ' +
      "a token without it is no failure here, smtp-login's login decides. The delegated profile needs none of them: what the token holds is only mentioned.",
    codes: {
      ROLES_OK: APP_ROLE_CODES.ROLES_OK,
      ROLES_NOT_NEEDED: APP_ROLE_CODES.ROLES_NOT_NEEDED,
      ROLES_MISSING: APP_ROLE_CODES.ROLES_MISSING,
      ROLES_UNREADABLE: APP_ROLE_CODES.ROLES_UNREADABLE,
      ROLES_OK_SEND_BY_LOGIN: {
        message: `The app-only token for {resource} carries {roles}; it does not carry {absent}: ${BY_LOGIN}`,
      },
      SEND_ROLE_BY_LOGIN: { message: `Not judged: the app-only token carries {held}, not {absent}. ${BY_LOGIN}` },
      NOT_NEEDED: { message: 'No reading activity chosen: no Exchange application permission is needed.' },
    },
  },
  async run(ctx) {
    const { exchangeRoles: needed, rbacGrantable } = profileNeeds(ctx.config.activities, ctx.config.profile);
    if (needed.length === 0 && rbacGrantable.length === 0 && ctx.config.profile !== 'delegated')
      return { status: 'skip', code: 'NOT_NEEDED', skipReason: 'not-applicable' };
    if (rbacGrantable.length === 0)
      return judgeAppRoles(ctx, 'exchange', needed, requiredExchangeRoles(ctx.config.activities));
    // A role Exchange may grant by RBAC is judged when the token holds it; absent, the login that needs it decides.
    const held = readRoles((await ctx.clients.tokens.appOnly('exchange')).claims) ?? [];
    const absent = rbacGrantable.filter((p) => !held.includes(p.value));
    if (absent.length === 0) return judgeAppRoles(ctx, 'exchange', [...needed, ...rbacGrantable]);
    const absentNames = absent.map((p) => p.value).join(', ');
    if (needed.length === 0) {
      return {
        status: 'skip',
        code: 'SEND_ROLE_BY_LOGIN',
        skipReason: 'not-applicable',
        data: { held: held.join(', ') || 'no role', absent: absentNames },
        evidence: { roles: held },
      };
    }
    const outcome = await judgeAppRoles(ctx, 'exchange', needed);
    return outcome.code === 'ROLES_OK'
      ? { ...outcome, code: 'ROLES_OK_SEND_BY_LOGIN', data: { ...outcome.data, absent: absentNames } }
      : outcome;
  },
});
