// app-roles-graph: admin consent for the Graph application permissions Mail.Send and User.Read.All (vendor profile).
import { defineCheck } from '../src/core/check.js';
import { APP_ROLE_CODES, judgeAppRoles } from '../src/diagnose/app-roles.js';
import { profileNeeds, requiredGraphRoles } from '../src/m365/permissions.js';

export default defineCheck({
  meta: {
    id: 'app-roles-graph',
    title: 'Graph application permissions consented',
    category: 'token',
    // Its input is the app-only Graph token that app-credentials obtains: no valid secret, no token to read.
    dependsOn: ['app-credentials'],
    // An Entra refusal (AADSTS) is this check's finding: the runner reports it as fail with Entra's answer.
    entraRefusal: 'fail',
    // Read only to name the root cause of a missing role: not requested by the app, or requested but not consented.
    consults: ['app-registration', 'admin-consent'],
    description:
      'Reads the roles claim of the app-only Microsoft Graph token: it lists exactly the application permissions an ' +
      'administrator consented to. The vendor profile needs Mail.Send and User.Read.All; the delegated and app-only profiles ' +
      'need neither (the roles found are mentioned; User.Read.All lets the user checks read the user without --admin).',
    codes: {
      ROLES_OK: APP_ROLE_CODES.ROLES_OK,
      ROLES_NOT_NEEDED: APP_ROLE_CODES.ROLES_NOT_NEEDED,
      ROLES_MISSING: APP_ROLE_CODES.ROLES_MISSING,
      ROLES_UNREADABLE: APP_ROLE_CODES.ROLES_UNREADABLE,
    },
  },
  run: (ctx) =>
    judgeAppRoles(
      ctx,
      'graph',
      profileNeeds(ctx.config.activities, ctx.config.profile).graphRoles,
      requiredGraphRoles(),
    ),
});
