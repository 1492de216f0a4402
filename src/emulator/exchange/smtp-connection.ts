// smtp-server's connection, adjusted where Exchange Online answers differently: the banner, AUTH only after
// STARTTLS, exact reply texts, request logging and the fault modes. The overridden members are public in
// smtp-server's typings. Still not Exchange's: the EHLO keyword list (smtp-server's own set) and its texts for
// syntax errors (501) and protocol misuse (503).
import type net from 'node:net';
import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';
import type { ExchangeDeps } from './deps.js';
import { OVERSIZED_PADDING, planGreeting, resetSoon } from './faults.js';
import { decodeXoauth2 } from './xoauth2.js';

export const SMTP_TEXT = {
  banner: (serverName: string, now: Date) =>
    `${serverName} Microsoft ESMTP MAIL Service ready at ${now.toUTCString().replace('GMT', '+0000')}`,
  unrecognizedAuth: '5.7.4 Unrecognized authentication type',
  authFailed: (serverName: string) => `5.7.3 Authentication unsuccessful [${serverName}]`,
  authDisabled: (level: 'Tenant' | 'Mailbox', serverName: string) =>
    `5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the ${level}. Visit https://aka.ms/smtp_auth_disabled for more information. [${serverName}]`,
  basicAuthDisabled: (serverName: string) =>
    `5.7.139 Authentication unsuccessful, basic authentication is disabled. [${serverName}]`,
  notAuthenticated: '5.7.57 Client not authenticated to send mail.',
  sendAsDenied: '5.7.60 SMTP; Client does not have permissions to send as this sender',
  // At the end of DATA, when the store refuses to submit as the From address (m365-facts §4.3; Python smtplib reports
  // it as SMTPDataError): the authenticated mailbox's primary address, then the refused sender.
  sendAsDeniedAtSubmission: (mailbox: string, from: string, serverName: string) =>
    `5.2.252 SendAsDenied; ${mailbox} not allowed to send as ${from}; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; ` +
    `Failed to process message due to a permanent exception with message Cannot submit message. [Hostname=${serverName}]`,
  // App-only sender without FullAccess, Send As or an RBAC scope on the mailbox: Exchange refuses at submission.
  // Text as reported in https://github.com/simonrob/email-oauth2-proxy/issues/271 (client credentials, SMTP.SendAsApp).
  mailboxLogonFailure: (serverName: string) =>
    '4.2.0 STOREDRV; mailbox logon failure; STOREDRV.Submission.Exception:ConnectionFailedTransientException.MapiExceptionLogonFailed; ' +
    `Failed to process message due to a transient exception with message [BeginDiagnosticData]Cannot open mailbox. Server = ${serverName}`,
  // https://learn.microsoft.com/exchange/troubleshoot/email-delivery/fix-error-code-5-1-8-in-exchange-online
  restrictedSender: '5.1.8 Access denied, bad outbound sender',
  lineTooLong: '5.5.2 Line too long',
  closing: '2.0.0 Service closing transmission channel',
  queued: (id: string, serverName: string) => `2.0.0 OK <${id}@${serverName}> [Hostname=${serverName}]`,
} as const;

/** Mechanisms offered after STARTTLS, as Exchange does. */
export const SMTP_AUTH_METHODS = ['LOGIN', 'XOAUTH2'];

const ENHANCED_CODE = /^\d\.\d{1,3}\.\d{1,3} /;

/** Exchange's wording for replies smtp-server words its own way, keyed by command and reply code. */
const EXCHANGE_WORDING: Record<string, string> = {
  'MAIL 250': '2.1.0 Sender OK',
  'RCPT 250': '2.1.5 Recipient OK',
  'DATA 354': 'Start mail input; end with <CRLF>.<CRLF>',
  'STARTTLS 220': '2.0.0 SMTP server ready',
  'RSET 250': '2.0.0 Resetting',
};
const KNOWN_VERBS = new Set([
  'EHLO',
  'HELO',
  'STARTTLS',
  'AUTH',
  'MAIL',
  'RCPT',
  'DATA',
  'RSET',
  'NOOP',
  'QUIT',
  'VRFY',
  'HELP',
  'BDAT',
]);

interface PendingEntry {
  method: string;
  target: string;
  detail?: string;
}

export class ExchangeSmtpConnection extends SMTPConnection {
  private pending?: PendingEntry;
  private authMechanism?: string;
  private padNextReply: boolean;

  constructor(
    server: ConstructorParameters<typeof SMTPConnection>[0],
    socket: net.Socket,
    options: ConstructorParameters<typeof SMTPConnection>[2],
    private readonly deps: ExchangeDeps,
  ) {
    super(server, socket, options);
    this.padNextReply = deps.faults?.oversizedLine === true;
  }

  /**
   * The banner at once, as Exchange Online's submission service sends it: smtp-server holds it 100 ms to catch
   * early talkers, which on a network adds to every session's opening and is no part of the service emulated.
   */
  override init(): void {
    this._setListeners(() => this.connectionReady());
  }

  override _sendGreeting(): void {
    const plan = planGreeting(`220 ${SMTP_TEXT.banner(this.deps.serverName, new Date())}`, this.deps.faults);
    const socket = this._socket as net.Socket;
    if (plan.kind === 'silent') return;
    if (plan.kind === 'truncate') {
      socket.end(plan.text);
      return;
    }
    socket.write(plan.text, () => {
      if (plan.thenReset) resetSoon(socket);
    });
  }

  /** Replies whose text already carries Exchange's enhanced code are sent as they are. */
  override send(code: number, data?: string | string[] | null, context?: string | false): void {
    if (this.padNextReply && data) {
      this.padNextReply = false;
      data = Array.isArray(data)
        ? [`${data[0]} ${OVERSIZED_PADDING}`, ...data.slice(1)]
        : `${data} ${OVERSIZED_PADDING}`;
    }
    const wording =
      this.pending && typeof data === 'string' && !ENHANCED_CODE.test(data)
        ? EXCHANGE_WORDING[`${this.pending.method} ${code}`]
        : undefined;
    if (wording) data = wording;
    const exact = typeof data === 'string' && ENHANCED_CODE.test(data);
    super.send(code, data, exact ? false : context);
    if (this.pending && code !== 334 && code !== 354) {
      const { method, target, detail } = this.pending;
      this.pending = undefined;
      this.deps.log.record({ service: 'smtp', method, target, result: String(code), ...(detail ? { detail } : {}) });
    }
  }

  /** AUTH is neither listed nor accepted before STARTTLS. */
  override _isSupported(command: string): boolean {
    if (command.trim().toUpperCase() === 'AUTH' && !this.secure) return false;
    return super._isSupported(command);
  }

  override _onCommand(command: Buffer, callback?: () => void): void {
    const line = (command ?? '').toString();
    const done = callback ?? (() => undefined);
    // Plaintext that raced the TLS handshake: smtp-server drops it unanswered, so nothing is logged either.
    if (this._upgrading) return super._onCommand(command, callback);
    if (this._nextHandler) {
      // A continuation line of AUTH: screen a malformed XOAUTH2 response the way Exchange answers it.
      if (this.authMechanism === 'XOAUTH2' && line.trim() !== '*') {
        const sasl = decodeXoauth2(line);
        if (this.pending && sasl) this.pending.detail = sasl.user;
        if (!sasl) return this.refuseAuth(done);
      }
      return super._onCommand(command, callback);
    }
    const [verbRaw = '', ...args] = line.trim().split(/\s+/);
    const verb = verbRaw.toUpperCase();
    const method = KNOWN_VERBS.has(verb) ? verb : 'UNKNOWN';
    this.pending = { method, target: method === 'UNKNOWN' ? '' : this.targetOf(verb, line, args) };
    if (verb !== 'AUTH' || !this._ready) return super._onCommand(command, callback);

    const mechanism = (args[0] ?? '').toUpperCase();
    const offered =
      this.deps.faults?.offerXoauth2 === false ? SMTP_AUTH_METHODS.filter((m) => m !== 'XOAUTH2') : SMTP_AUTH_METHODS;
    if (!this.secure || !offered.includes(mechanism)) {
      this.send(504, SMTP_TEXT.unrecognizedAuth);
      return done();
    }
    this.authMechanism = mechanism;
    if (mechanism === 'XOAUTH2' && args[1] !== undefined && !this.session.user) {
      const sasl = decodeXoauth2(args[1]);
      if (!sasl) return this.refuseAuth(done);
      this.pending.detail = sasl.user;
    }
    super._onCommand(command, callback);
  }

  /** The username smtp-server's LOGIN exchange or onAuth learned; logged for AUTH LOGIN. */
  noteAuthUser(user: string): void {
    if (this.pending?.method === 'AUTH') this.pending.detail ??= user;
  }

  override handler_QUIT(_command: Buffer, callback: () => void): void {
    this.send(221, SMTP_TEXT.closing);
    this.close();
    callback();
  }

  /** Exchange rejects an over-long line with a permanent error and drops the client. */
  override _createParser(): ReturnType<SMTPConnection['_createParser']> {
    const parser = super._createParser();
    parser.removeAllListeners('error');
    parser.on('error', () => {
      this.send(500, SMTP_TEXT.lineTooLong);
      this.close();
    });
    return parser;
  }

  private refuseAuth(done: () => void): void {
    this._nextHandler = false;
    this.send(535, SMTP_TEXT.authFailed(this.deps.serverName));
    done();
  }

  private targetOf(verb: string, line: string, args: string[]): string {
    if (verb === 'AUTH') return (args[0] ?? '').toUpperCase();
    if (verb === 'MAIL' || verb === 'RCPT') return /<([^>]*)>/.exec(line)?.[1] ?? '';
    if (verb === 'EHLO' || verb === 'HELO') return args[0] ?? '';
    return '';
  }
}
