// Reading a mail login's wire result: what Exchange's answers mean, and the evidence worth keeping. The decisive
// reply's codes decide first; the wording is read only where Exchange gives several causes the same codes.
import type { Evidence } from '../core/check.js';
import { formatHostPort } from '../config/validate.js';
import type { MailLoginResult, MailReply } from '../clients/types.js';

/** Exchange's answer when a login succeeded but the mailbox cannot be opened (protocol off, or no FullAccess). */
const NOT_CONNECTED = /authenticated but not connected/i;
const SMTP_AUTH_DISABLED_TENANT = /SmtpClientAuthentication is disabled for the Tenant/i;
const SMTP_AUTH_DISABLED_MAILBOX = /SmtpClientAuthentication is disabled for the Mailbox/i;
/**
 * Exchange's enhanced status code (RFC 3463) for SMTP AUTH refused by policy: its reply names the switch and links
 * https://aka.ms/smtp_auth_disabled. The same code covers basic auth off, security defaults and Conditional Access,
 * so the text says which.
 */
const SMTP_AUTH_POLICY = '5.7.139';

export function offersXoauth2(result: MailLoginResult): boolean {
  if (result.capabilities.some((c) => /XOAUTH2/i.test(c))) return true;
  // A server that lists no mechanisms at all (POP without CAPA, or CAPA without a SASL line) is judged by what it did:
  // it asked for the XOAUTH2 response. A server whose list names mechanisms but not XOAUTH2 is taken at its word.
  const listsMechanisms = result.capabilities.some((c) => /^(SASL\b|AUTH[= ])/i.test(c));
  return result.xoauth2Taken === true && !listsMechanisms;
}

export function loginEvidence(r: MailLoginResult): Record<string, Evidence> {
  const evidence: Record<string, Evidence> = {
    server: formatHostPort(r.endpoint),
    greeting: r.greeting,
    phase: r.phase,
    authLine: r.authLine,
  };
  if (r.route) evidence.route = r.route;
  if (r.tlsProtocol) evidence.tls = r.tlsProtocol;
  if (r.capabilities.length) evidence.capabilities = r.capabilities.join(' ');
  if (r.challenge) evidence.challenge = JSON.stringify(r.challenge);
  if (r.afterAuthLine !== undefined) evidence.afterAuthLine = r.afterAuthLine;
  if (r.reply) Object.assign(evidence, replyEvidence(r.reply));
  return evidence;
}

/** The decisive reply's fields, flat (evidence holds no objects): replyCommand, replyStatus, replyCode, ... */
export function replyEvidence(reply: MailReply): Record<string, Evidence> {
  const evidence: Record<string, Evidence> = { replyCommand: reply.command, replyStatus: reply.status };
  if (reply.code !== undefined) evidence.replyCode = reply.code;
  if (reply.enhancedCode) evidence.replyEnhancedCode = reply.enhancedCode;
  if (reply.responseCode) evidence.replyResponseCode = reply.responseCode;
  return evidence;
}

/** True when the login was accepted and the follow-up command (EXAMINE / STAT) worked. */
export function loginWorked(r: MailLoginResult): boolean {
  return r.authenticated && r.afterAuthOk !== false;
}

/**
 * Logged in, but the mailbox refused to open: the follow-up's refusal (IMAP NO / BAD / BYE, POP -ERR) that
 * Exchange words "User is authenticated but not connected" (it sends no response code that says so).
 */
export function notConnected(r: MailLoginResult): boolean {
  if (!r.authenticated || r.afterAuthOk !== false) return false;
  if (r.reply && !['NO', 'BAD', 'BYE', '-ERR'].includes(r.reply.status)) return false;
  return NOT_CONNECTED.test(r.afterAuthLine ?? '');
}

/** SMTP only: the STARTTLS the dialog stopped at (the token was never sent). */
export function starttlsRefused(r: MailLoginResult): boolean {
  return r.reply ? r.reply.command === 'STARTTLS' : r.phase === 'starttls';
}

/** SMTP only: which SmtpClientAuthentication switch refused the login: 535 with 5.7.139 first, then the text. */
export function smtpAuthDisabled(r: MailLoginResult): 'tenant' | 'mailbox' | undefined {
  if (r.authenticated) return undefined;
  const reply = r.reply;
  if (
    reply &&
    (reply.command !== 'AUTH' || reply.code !== 535 || (reply.enhancedCode && reply.enhancedCode !== SMTP_AUTH_POLICY))
  )
    return undefined;
  if (SMTP_AUTH_DISABLED_TENANT.test(r.authLine)) return 'tenant';
  if (SMTP_AUTH_DISABLED_MAILBOX.test(r.authLine)) return 'mailbox';
  return undefined;
}
