// imap-login: IMAP XOAUTH2 login with the ROPC token (in the app-only profile the app-only token), then EXAMINE INBOX.
import { defineCheck } from '../src/check.js';
import { judgeReadLogin, loginDependencies, readLoginCodes } from '../src/diagnose/read-login.js';

export default defineCheck({
  meta: {
    id: 'imap-login',
    title: 'IMAP login with XOAUTH2',
    category: 'exchange',
    // Its input is a token: the ROPC one (app-only profile: the app's). A token that lacks a scope is still tried.
    dependsOn: ['ropc-token', 'app-credentials'],
    hardDependencies: loginDependencies,
    // Read only to explain a refusal: a missing scope or role, a missing licence.
    consults: ['ropc-scopes', 'app-roles-exchange', 'user-license', 'user-account'],
    description: 'Does what the connector does to read mail over IMAP: implicit TLS to Exchange Online, AUTHENTICATE XOAUTH2 with ' +
      'the ROPC token, then EXAMINE INBOX (read-only). "AUTHENTICATE failed" and "User is authenticated but not connected" are ' +
      'told apart: the second means the token is fine but IMAP is disabled for the mailbox.',
    codes: readLoginCodes('imap'),
  },
  // The opening of the session (TLS, greeting, capabilities) needs no token: it overlaps the token requests.
  prepare(ctx) { if (ctx.config.activities.includes('read-imap')) ctx.clients.mail.preconnect?.('imap'); },
  run: (ctx) => judgeReadLogin(ctx, 'imap'),
});
