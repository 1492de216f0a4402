// app-roles-exchange: admin consent for IMAP.AccessAsApp / POP.AccessAsApp, as the activities need.
import { defineCheck } from '../src/check.js';
import { APP_ROLE_CODES, judgeAppRoles } from '../src/diagnose/app-roles.js';
import { requiredExchangeRoles } from '../src/permissions.js';

export default defineCheck({
  meta: {
    id: 'app-roles-exchange',
    title: 'Exchange application permissions consented',
    category: 'token',
    dependsOn: ['app-credentials'],
    description: 'Reads the roles claim of the app-only Exchange Online token. App-only mailbox access needs IMAP.AccessAsApp ' +
      '(read-imap) and POP.AccessAsApp (read-pop) from "Office 365 Exchange Online", consented by an administrator.',
    codes: {
      ...APP_ROLE_CODES,
      NOT_NEEDED: { message: 'No reading activity chosen: no Exchange application permission is needed.' },
    },
  },
  async run(ctx) {
    const needed = requiredExchangeRoles(ctx.config.activities);
    if (needed.length === 0) return { status: 'skip', code: 'NOT_NEEDED', skipReason: 'not-applicable' };
    return judgeAppRoles(ctx, 'exchange', needed);
  },
});
