// The one writing action (behind --send-test-mail): the SMTP login, then MAIL FROM, RCPT TO and DATA
// with a message built by nodemailer's MailComposer.
import type { TestMailRequest } from '../clients/types.js';
import type { HostPort } from '../config/types.js';
import { MailSession, type MailDeps } from './session.js';
import { isLastReplyLine, readReply, smtpAuthenticate } from './smtp.js';

export async function sendTestMail(
  endpoint: HostPort,
  req: TestMailRequest,
  deps: MailDeps,
): Promise<{ accepted: boolean; response: string }> {
  const s = new MailSession('smtp', endpoint, deps);
  try {
    await smtpAuthenticate(s, req);
    if (!s.result.authenticated) return { accepted: false, response: s.result.authLine };
    const message = await compose(req);

    for (const [phase, command, ok] of [
      ['mail-from', `MAIL FROM:<${req.from}>`, [250]],
      ['rcpt-to', `RCPT TO:<${req.to}>`, [250, 251]],
      ['data', 'DATA', [354]],
    ] as const) {
      s.at(phase);
      s.send(command);
      const reply = await readReply(s);
      if (!(ok as readonly number[]).includes(reply.code)) return { accepted: false, response: s.clean(reply.last) };
    }
    s.at('message');
    s.sock.writeRaw(dotStuff(message));
    const done = await readReply(s);
    const accepted = done.code === 250;
    if (accepted) await s.goodbye('quit', 'QUIT', isLastReplyLine);
    return { accepted, response: s.clean(done.last) };
  } finally {
    s.close();
  }
}

async function compose(req: TestMailRequest): Promise<Buffer> {
  const { default: MailComposer } = await import('nodemailer/lib/mail-composer');
  const mail = new MailComposer({
    from: req.from,
    to: req.to,
    subject: req.subject,
    text: req.text,
    headers: { 'X-Mailer': 'm365-doctor' },
  });
  return mail.compile().build();
}

/** CRLF line ends, leading dots doubled, and the terminating "." line (RFC 5321 4.5.2). */
export function dotStuff(message: Buffer): string {
  const text = message.toString('utf8').replace(/\r?\n/g, '\r\n');
  const body = text
    .split('\r\n')
    .map((l) => (l.startsWith('.') ? `.${l}` : l))
    .join('\r\n');
  return `${body}${body.endsWith('\r\n') ? '' : '\r\n'}.\r\n`;
}
