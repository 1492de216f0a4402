// POP3 over implicit TLS: greeting, CAPA, AUTH XOAUTH2 with the response on its own line (Exchange needs
// the two-step form), STAT, QUIT (whose answer nobody waits for).
import type { MailLoginRequest, MailLoginResult } from '../clients/types.js';
import type { HostPort } from '../config/types.js';
import { loginFresh, type MailDialog } from './dialog.js';
import { popReply } from './reply.js';
import type { MailDeps } from './session.js';
import { decodeChallenge, xoauth2InitialResponse } from './xoauth2.js';

const MAX_CAPA_LINES = 200;

export const popDialog: MailDialog = {
  protocol: 'pop',

  async open(s, opts) {
    const r = s.result;
    await s.open(true, opts.signal, opts.hold);

    await s.greeting(/^-ERR\b/i, /^\+OK\b/i, 'a POP3 greeting ("+OK ...")');

    s.at('capability');
    s.send('CAPA');
    const capa = await s.line();
    if (/^\+OK\b/i.test(capa)) {
      for (let i = 0; ; i++) {
        const l = await s.line();
        if (l === '.') break;
        if (i >= MAX_CAPA_LINES) throw s.bad(l, 'the end of the CAPA list');
        r.capabilities.push(l.startsWith('..') ? l.slice(1) : l);
      }
    } else if (!/^-ERR\b/i.test(capa)) throw s.bad(capa, 'a CAPA reply');
    return true;
  },

  async authenticate(s, req) {
    const r = s.result;
    s.at('auth');
    s.send('AUTH XOAUTH2');
    const go = await s.line();
    if (/^-ERR\b/i.test(go)) {
      r.authLine = s.clean(go);
      r.reply = popReply('AUTH', r.authLine);
      return r;
    }
    if (!go.startsWith('+')) throw s.bad(go, 'a "+" continuation');
    // A server without CAPA (or without a SASL line in it) still speaks XOAUTH2 when it asks for the response.
    r.xoauth2Taken = true;
    s.send(xoauth2InitialResponse(req.user, req.accessToken, s.deps.redactor), true);
    let final = await s.line();
    if (final.startsWith('+ ') && final.length > 2) {
      // Failure challenge carrying base64 JSON: answer empty, then the -ERR follows.
      r.challenge = decodeChallenge(final.slice(1));
      s.send('');
      final = await s.line();
    }
    if (!/^(\+OK|-ERR)\b/i.test(final)) throw s.bad(final, 'the AUTH result (+OK or -ERR)');
    r.authLine = s.clean(final);
    r.authenticated = /^\+OK\b/i.test(final);
    r.reply = popReply('AUTH', r.authLine);
    if (!r.authenticated) return r;

    s.at('stat');
    s.send('STAT');
    const stat = await s.line();
    if (!/^(\+OK|-ERR)\b/i.test(stat)) throw s.bad(stat, 'the STAT result');
    r.afterAuthLine = s.clean(stat);
    r.afterAuthOk = /^\+OK\b/i.test(stat);
    r.reply = popReply('STAT', r.afterAuthLine);

    // STAT's answer is the verdict's last word: QUIT costs the login no round trip.
    s.leave('quit', 'QUIT', () => true);
    return r;
  },

  farewell: (s) => s.goodbye('quit', 'QUIT', () => true),
};

export function popLogin(endpoint: HostPort, req: MailLoginRequest, deps: MailDeps): Promise<MailLoginResult> {
  return loginFresh(popDialog, endpoint, req, deps);
}
