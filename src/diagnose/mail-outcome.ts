// Reading a mail login's wire result: what Exchange's answers mean, and the evidence worth keeping.
import type { Evidence } from '../check.js';
import type { MailLoginResult } from '../clients.js';

/** Exchange's answer when a login succeeded but the mailbox cannot be opened (protocol off, or no FullAccess). */
export const NOT_CONNECTED = /authenticated but not connected/i;
export const SMTP_AUTH_DISABLED_TENANT = /SmtpClientAuthentication is disabled for the Tenant/i;
export const SMTP_AUTH_DISABLED_MAILBOX = /SmtpClientAuthentication is disabled for the Mailbox/i;

export function offersXoauth2(result: MailLoginResult): boolean {
  if (result.capabilities.some((c) => /XOAUTH2/i.test(c))) return true;
  // A server that lists no mechanisms at all (POP without CAPA, or CAPA without a SASL line) is judged by what it did:
  // it asked for the XOAUTH2 response. A server whose list names mechanisms but not XOAUTH2 is taken at its word.
  const listsMechanisms = result.capabilities.some((c) => /^(SASL\b|AUTH[= ])/i.test(c));
  return result.xoauth2Taken === true && !listsMechanisms;
}

export function loginEvidence(r: MailLoginResult): Record<string, Evidence> {
  const evidence: Record<string, Evidence> = {
    server: `${r.endpoint.host}:${r.endpoint.port}`,
    greeting: r.greeting,
    phase: r.phase,
    authLine: r.authLine,
  };
  if (r.route) evidence.route = r.route;
  if (r.tlsProtocol) evidence.tls = r.tlsProtocol;
  if (r.capabilities.length) evidence.capabilities = r.capabilities.join(' ');
  if (r.challenge) evidence.challenge = JSON.stringify(r.challenge);
  if (r.afterAuthLine !== undefined) evidence.afterAuthLine = r.afterAuthLine;
  return evidence;
}

/** True when the login was accepted and the follow-up command (EXAMINE / STAT) worked. */
export function loginWorked(r: MailLoginResult): boolean {
  return r.authenticated && r.afterAuthOk !== false;
}

export function notConnected(r: MailLoginResult): boolean {
  return r.authenticated && r.afterAuthOk === false && NOT_CONNECTED.test(r.afterAuthLine ?? '');
}
