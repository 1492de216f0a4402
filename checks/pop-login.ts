// pop-login: POP3 XOAUTH2 login with the ROPC token (in the app-only profile the app-only token), then STAT.
import { defineCheck } from '../src/core/check.js';
import { judgeReadLogin, loginDependencies, readLoginCodes } from '../src/diagnose/read-login.js';

const text = readLoginCodes('pop');

export default defineCheck({
  meta: {
    id: 'pop-login',
    title: 'POP login with XOAUTH2',
    category: 'exchange',
    // Its input is a token: the ROPC one (app-only profile: the app's). A token that lacks a scope is still tried.
    dependsOn: ['ropc-token', 'app-credentials'],
    hardDependencies: loginDependencies,
    // Read only to explain a refusal: a missing scope or role, a missing licence.
    consults: ['ropc-scopes', 'app-roles-exchange', 'user-license', 'user-account', 'imap-login'],
    description:
      'Does what the connector does to read mail over POP3: implicit TLS to Exchange Online, AUTH XOAUTH2 with the ROPC ' +
      'token (sent after the server\'s "+", as Exchange needs), then STAT. A login that works followed by "User is authenticated ' +
      'but not connected" means POP is disabled for the mailbox.',
    codes: {
      LOGIN_OK: text.LOGIN_OK,
      POP_DISABLED_FOR_MAILBOX: text.POP_DISABLED_FOR_MAILBOX,
      AUTH_REJECTED: text.AUTH_REJECTED,
      NO_MAILBOX: text.NO_MAILBOX,
      UNKNOWN_MAILBOX: text.UNKNOWN_MAILBOX,
      XOAUTH2_NOT_OFFERED: text.XOAUTH2_NOT_OFFERED,
      MAILBOX_NOT_OPENED: text.MAILBOX_NOT_OPENED,
      NOT_NEEDED: text.NOT_NEEDED,
      SCOPE_MISSING: text.SCOPE_MISSING,
      WRONG_TOKEN_AUDIENCE: text.WRONG_TOKEN_AUDIENCE,
      ROLE_MISSING: text.ROLE_MISSING,
      APP_NOT_REGISTERED: text.APP_NOT_REGISTERED,
      APP_MAILBOX_NOT_OPENED: text.APP_MAILBOX_NOT_OPENED,
    },
  },
  // The opening of the session (TLS, greeting, capabilities) needs no token: it overlaps the token requests.
  prepare(ctx) {
    if (ctx.config.activities.includes('read-pop')) ctx.clients.mail.preconnect?.('pop');
  },
  run: (ctx) => judgeReadLogin(ctx, 'pop'),
});
