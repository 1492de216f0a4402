// SMTP submission: banner, EHLO, STARTTLS, EHLO, AUTH XOAUTH2 with the response after 334 (Dovecot's
// submission caps the AUTH line at 1 KiB; an Entra token does not fit), then QUIT - or, only for
// --send-test-mail, MAIL FROM / RCPT TO / DATA.
import type { MailLoginRequest, MailLoginResult } from '../clients/types.js';
import type { HostPort } from '../config/types.js';
import { NetError } from '../core/errors.js';
import { loginFresh, type MailDialog, type OpenOptions } from './dialog.js';
import { smtpReply } from './reply.js';
import type { MailDeps, MailSession } from './session.js';
import { decodeChallenge, xoauth2InitialResponse } from './xoauth2.js';

const MAX_REPLY_LINES = 100;
/** Port 465 is submission over implicit TLS; every other port starts plain and upgrades. */
const IMPLICIT_TLS_PORT = 465;

export interface SmtpReply {
  code: number;
  lines: string[];
  last: string;
}

/** The last line of an SMTP reply ("221 ..."; "250-..." continues): it ends the goodbye's wait. */
export const isLastReplyLine = (line: string): boolean => /^\d{3} /.test(line);

/** Reads one (possibly multi-line) reply: "250-..." continues, "250 ..." ends. */
export async function readReply(s: MailSession): Promise<SmtpReply> {
  const lines: string[] = [];
  for (;;) {
    const line = await s.line();
    const m = line.match(/^(\d{3})([ -]|$)/);
    if (!m) throw s.bad(line, 'an SMTP reply ("NNN text")');
    lines.push(line);
    if (m[2] !== '-') return { code: Number(m[1]), lines, last: line };
    if (lines.length >= MAX_REPLY_LINES) throw s.bad(line, 'the end of a multi-line reply');
  }
}

/** The dialog up to and including AUTH. Leaves the session open on success for the caller's next step. */
export async function smtpAuthenticate(s: MailSession, req: MailLoginRequest): Promise<void> {
  if (await smtpOpen(s, { signal: req.signal })) await smtpAuth(s, req);
}

/** Banner, EHLO, STARTTLS, EHLO: false when STARTTLS was refused (the dialog stops there, s.result says why). */
async function smtpOpen(s: MailSession, opts: OpenOptions): Promise<boolean> {
  const r = s.result;
  const implicit = s.endpoint.port === IMPLICIT_TLS_PORT;
  await s.open(implicit, opts.signal, opts.hold);

  s.at('greeting');
  const banner = await readReply(s);
  if (banner.code !== 220) throw s.refused(banner.last, { status: banner.code });
  r.greeting = s.clean(banner.lines.join(' / '));

  await ehlo(s);
  if (!implicit) {
    s.at('starttls');
    s.send('STARTTLS');
    const ready = await readReply(s);
    // Without TLS the token would cross the network in clear: stop here, as a result the checks can explain.
    if (ready.code !== 220) {
      r.authLine = s.clean(ready.last);
      r.reply = smtpReply('STARTTLS', ready.code, r.authLine);
      return false;
    }
    s.at('tls');
    await s.sock.startTls();
    r.tlsProtocol = s.sock.tlsProtocol;
    await ehlo(s);
  }
  return true;
}

async function smtpAuth(s: MailSession, req: MailLoginRequest): Promise<void> {
  const r = s.result;
  s.at('auth');
  s.send('AUTH XOAUTH2');
  const go = await readReply(s);
  if (go.code !== 334) {
    r.authLine = s.clean(go.last);
    r.reply = smtpReply('AUTH', go.code, r.authLine);
    return;
  }
  s.send(xoauth2InitialResponse(req.user, req.accessToken, s.deps.redactor), true);
  let final = await readReply(s);
  if (final.code === 334) {
    // Failure challenge with base64 JSON: answer empty, then the 535 follows.
    r.challenge = decodeChallenge(final.last.slice(4));
    s.send('');
    final = await readReply(s);
  }
  r.authLine = s.clean(final.last);
  r.authenticated = final.code === 235;
  r.reply = smtpReply('AUTH', final.code, r.authLine);
}

async function ehlo(s: MailSession): Promise<void> {
  s.at('ehlo');
  s.send(`EHLO ${clientName(s)}`);
  const reply = await readReply(s);
  if (reply.code !== 250)
    throw new NetError(
      'SERVER_ERROR',
      s.sock.host,
      'ehlo',
      `${s.endpoint.host} rejected EHLO: ${s.clean(reply.last)}`,
      { status: reply.code },
    );
  s.result.capabilities = reply.lines.slice(1).map((l) => l.slice(4));
}

/** An address literal of our side of the connection: honest, and reveals no host name. */
function clientName(s: MailSession): string {
  const addr = s.sock.localAddress ?? '127.0.0.1';
  return addr.includes(':') ? `[IPv6:${addr}]` : `[${addr}]`;
}

export const smtpDialog: MailDialog = {
  protocol: 'smtp',
  open: smtpOpen,
  async authenticate(s, req) {
    await smtpAuth(s, req);
    // The AUTH reply is the verdict: QUIT costs the login no round trip.
    if (s.result.authenticated) s.leave('quit', 'QUIT', isLastReplyLine);
    return s.result;
  },
  farewell: (s) => s.goodbye('quit', 'QUIT', isLastReplyLine),
};

export function smtpLogin(endpoint: HostPort, req: MailLoginRequest, deps: MailDeps): Promise<MailLoginResult> {
  return loginFresh(smtpDialog, endpoint, req, deps);
}
