// IMAP over implicit TLS: greeting, CAPABILITY, AUTHENTICATE XOAUTH2 (SASL-IR when offered), EXAMINE INBOX, LOGOUT.
import type { MailLoginRequest, MailLoginResult } from '../clients/types.js';
import type { HostPort } from '../config/types.js';
import { NetError } from '../core/errors.js';
import { loginFresh, type MailDialog } from './dialog.js';
import { imapReply } from './reply.js';
import type { MailDeps, MailSession } from './session.js';
import { decodeChallenge, xoauth2InitialResponse } from './xoauth2.js';

const MAX_CHALLENGES = 2;

export const imapDialog: MailDialog = {
  protocol: 'imap',

  async open(s, opts) {
    const r = s.result;
    await s.open(true, opts.signal, opts.hold);

    await s.greeting(/^\* BYE\b/i, /^\* (OK|PREAUTH)\b/i, 'an IMAP greeting ("* OK ...")');

    s.at('capability');
    const capTag = s.nextTag();
    s.send(`${capTag} CAPABILITY`);
    const caps = await readTagged(s, capTag);
    for (const u of caps.untagged) {
      const list = u.match(/^\* CAPABILITY (.*)$/i)?.[1];
      if (list !== undefined) r.capabilities = list.trim().split(/\s+/);
    }
    return true;
  },

  async authenticate(s, req) {
    const r = s.result;
    s.at('auth');
    const authTag = s.nextTag();
    const ir = xoauth2InitialResponse(req.user, req.accessToken, s.deps.redactor);
    if (r.capabilities.some((c) => c.toUpperCase() === 'SASL-IR')) {
      s.send(`${authTag} AUTHENTICATE XOAUTH2 ${ir}`, true);
    } else {
      s.send(`${authTag} AUTHENTICATE XOAUTH2`);
      const first = await s.line();
      if (first.startsWith('+')) s.send(ir, true);
      else if (first.startsWith(`${authTag} `)) return finishAuth(s, first);
      else throw s.bad(first, 'a "+" continuation');
    }
    for (let challenges = 0; ;) {
      const line = await s.line();
      if (line.startsWith('+')) {
        // A failure challenge (base64 JSON); SASL wants an empty answer before the final NO.
        if (++challenges > MAX_CHALLENGES) throw s.bad(line, 'the end of the AUTHENTICATE exchange');
        r.challenge ??= decodeChallenge(line.slice(1));
        s.send('');
        continue;
      }
      if (line.startsWith(`${authTag} `)) {
        finishAuth(s, line);
        break;
      }
      if (!line.startsWith('*')) throw s.bad(line, `a "${authTag}" reply`);
    }
    if (!r.authenticated) return r;

    s.at('examine');
    const exTag = s.nextTag();
    const logoutTag = s.nextTag();
    // LOGOUT goes out with EXAMINE (RFC 9051 5.5: a client may send several commands without waiting), so the
    // goodbye costs no round trip of its own; the server answers them in order.
    s.send(`${exTag} EXAMINE INBOX`);
    s.send(`${logoutTag} LOGOUT`);
    try {
      const ex = await readTagged(s, exTag);
      r.afterAuthLine = s.clean(ex.tagged);
      r.afterAuthOk = /^\S+ OK\b/i.test(ex.tagged);
      r.reply = imapReply('EXAMINE', r.afterAuthLine);
    } catch (err) {
      // Exchange may answer a mailbox it cannot open with "* BYE" and hang up before or after the tagged reply.
      if (!(err instanceof NetError) || err.code !== 'CONNECTION_CLOSED' || !s.lastBye) throw err;
      r.afterAuthLine = s.clean(s.lastBye);
      r.afterAuthOk = false;
      r.reply = imapReply('EXAMINE', r.afterAuthLine);
      return r;
    }
    // The LOGOUT's answer (already sent) is read without anyone waiting for it; a server that said BYE to EXAMINE
    // is left to hang up.
    if (!s.lastBye) s.leave('logout', undefined, (l) => l.startsWith(`${logoutTag} `));
    return r;
  },

  farewell: (s) => s.goodbye('logout', `${s.nextTag()} LOGOUT`, (l) => /^A\d+ /.test(l)),
};

export function imapLogin(endpoint: HostPort, req: MailLoginRequest, deps: MailDeps): Promise<MailLoginResult> {
  return loginFresh(imapDialog, endpoint, req, deps);
}

function finishAuth(s: MailSession, line: string): MailLoginResult {
  s.result.authLine = s.clean(line);
  s.result.authenticated = /^\S+ OK\b/i.test(line);
  s.result.reply = imapReply('AUTHENTICATE', s.result.authLine);
  return s.result;
}

/** Reads untagged lines until the tagged completion of `tag`. */
async function readTagged(s: MailSession, tag: string): Promise<{ tagged: string; untagged: string[] }> {
  const untagged: string[] = [];
  for (;;) {
    const line = await s.line();
    if (line.startsWith(`${tag} `)) return { tagged: line, untagged };
    if (line.startsWith('*')) {
      if (/^\* BYE\b/i.test(line)) s.lastBye = line;
      untagged.push(line);
      continue;
    }
    if (line.startsWith('+')) throw s.bad(line, `a reply to ${tag}`);
    throw s.bad(line, `an IMAP reply to ${tag}`);
  }
}
