// app-roles-graph: admin consent for the Graph application permissions Mail.Send and User.Read.All.
import { defineCheck } from '../src/check.js';
import { APP_ROLE_CODES, judgeAppRoles } from '../src/diagnose/app-roles.js';
import { requiredGraphRoles } from '../src/permissions.js';

export default defineCheck({
  meta: {
    id: 'app-roles-graph',
    title: 'Graph application permissions consented',
    category: 'token',
    dependsOn: ['app-credentials'],
    description: 'Reads the roles claim of the app-only Microsoft Graph token: it lists exactly the application permissions an ' +
      'administrator consented to. The connector needs Mail.Send and User.Read.All.',
    codes: APP_ROLE_CODES,
  },
  run: (ctx) => judgeAppRoles(ctx, 'graph', requiredGraphRoles()),
});
