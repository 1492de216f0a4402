// pop-login: POP3 XOAUTH2 login with the ROPC token, then STAT.
import { defineCheck } from '../src/check.js';
import { judgeReadLogin, readLoginCodes } from '../src/diagnose/read-login.js';

export default defineCheck({
  meta: {
    id: 'pop-login',
    title: 'POP login with XOAUTH2',
    category: 'exchange',
    dependsOn: ['ropc-scopes'],
    consults: ['user-license'],
    description: 'Does what the connector does to read mail over POP3: implicit TLS to Exchange Online, AUTH XOAUTH2 with the ROPC ' +
      'token (sent after the server\'s "+", as Exchange needs), then STAT. A login that works followed by "User is authenticated ' +
      'but not connected" means POP is disabled for the mailbox.',
    codes: readLoginCodes('pop'),
  },
  // The opening of the session (TLS, greeting, capabilities) needs no token: it overlaps the token requests.
  prepare(ctx) { if (ctx.config.activities.includes('read-pop')) ctx.clients.mail.preconnect?.('pop'); },
  run: (ctx) => judgeReadLogin(ctx, 'pop'),
});
