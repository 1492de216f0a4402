// Parsing the decisive reply of a mail dialog into its codes (status word, SMTP reply and enhanced status codes,
// IMAP / POP response code), so the checks need not match the server's wording for what the codes already say.
// Callers pass the redacted line (MailSession.clean): nothing parsed here can carry a secret the line did not.
import type { MailReply } from '../clients/types.js';

/** A response-code name: an atom, bounded (RFC 9051 7.1 / RFC 2449 8 codes are short words like SYS/TEMP). */
const CODE_NAME = /^[A-Za-z0-9][A-Za-z0-9./-]{0,39}$/;

/** "A2 NO [AUTHENTICATIONFAILED] ..." or "* BYE ...": the status word and the response code's name. */
export function imapReply(command: string, line: string): MailReply {
  const m = line.match(/^\S+ (OK|NO|BAD|BYE|PREAUTH)\b ?(?:\[([^\]\s]+)[^\]]*\])?/i);
  return withCode({ command, status: m?.[1]?.toUpperCase() ?? '' }, m?.[2]);
}

/** "-ERR [SYS/TEMP] ..." or "+OK ...": the status and the extended response code's name. */
export function popReply(command: string, line: string): MailReply {
  const m = line.match(/^(\+OK|-ERR)\b ?(?:\[([^\]\s]+)[^\]]*\])?/i);
  return withCode({ command, status: m?.[1]?.toUpperCase() ?? '' }, m?.[2]);
}

/** "535 5.7.139 Authentication unsuccessful, ...": the reply code and the enhanced status code (RFC 3463). */
export function smtpReply(command: string, code: number, last: string): MailReply {
  const reply: MailReply = { command, status: String(code), code };
  const enhanced = last.match(/^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})(?:\s|$)/);
  if (enhanced) reply.enhancedCode = enhanced[1];
  return reply;
}

function withCode(reply: MailReply, name: string | undefined): MailReply {
  if (name && CODE_NAME.test(name)) reply.responseCode = name.toUpperCase();
  return reply;
}
