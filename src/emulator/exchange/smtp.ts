// The emulated Exchange Online SMTP submission service (STARTTLS, like smtp.office365.com:587), built on
// smtp-server. Accepted messages are discarded, except for a short in-memory list tests can read.
import { randomUUID } from 'node:crypto';
import type net from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { judgeBearer, type Verdict } from './authorize.js';
import type { ExchangeDeps, RunningServer } from './deps.js';
import { startDripProxy } from './drip-proxy.js';
import { DEFAULT_IDLE_TIMEOUT_MS } from './line-server.js';
import { closeServer, listen } from './listen.js';
import { isAddressOf, primaryAddress } from '../mailbox-addresses.js';
import { ExchangeSmtpConnection, SMTP_AUTH_METHODS, SMTP_TEXT } from './smtp-connection.js';

/** A submitted message as the server received it. */
export interface SubmittedMessage {
  from: string;
  to: string[];
  size: number;
  raw: string;
  at: string;
}

export interface SmtpServerHandle extends RunningServer {
  /** The latest accepted messages, oldest first; at most MAX_KEPT_MESSAGES. */
  readonly messages: SubmittedMessage[];
}

export const MAX_KEPT_MESSAGES = 50;
/** Exchange Online's client submission limit is about 35 MB; the emulator keeps the number it advertises. */
const MAX_MESSAGE_BYTES = 37_748_736;

type Login = Extract<Verdict, { outcome: 'authenticated' }>;

function smtpError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

class ExchangeSmtpServer extends SMTPServer {
  constructor(
    private readonly deps: ExchangeDeps,
    options: ConstructorParameters<typeof SMTPServer>[0],
  ) {
    super(options);
  }

  /** Same as smtp-server's own connect(), with the Exchange flavoured connection. */
  override connect(socket: net.Socket, socketOptions?: Parameters<SMTPServer['connect']>[1]): void {
    const connection = new ExchangeSmtpConnection(this, socket, socketOptions, this.deps);
    this.connections.add(connection);
    connection.on('error', (err: Error) => this._onError(err));
    connection.on('connect', (data) => this._onClientConnect(data));
    connection.init();
  }

  connectionOf(session: SMTPServerSession): ExchangeSmtpConnection | undefined {
    for (const c of this.connections) if (c.session === session && c instanceof ExchangeSmtpConnection) return c;
    return undefined;
  }
}

export async function startSmtpServer(deps: ExchangeDeps): Promise<SmtpServerHandle> {
  const messages: SubmittedMessage[] = [];
  const name = deps.serverName;
  const server: ExchangeSmtpServer = new ExchangeSmtpServer(deps, {
    name,
    key: deps.tls.key,
    cert: deps.tls.cert,
    authMethods:
      deps.faults?.offerXoauth2 === false ? SMTP_AUTH_METHODS.filter((m) => m !== 'XOAUTH2') : SMTP_AUTH_METHODS,
    ...(deps.faults?.starttls === false ? { disabledCommands: ['STARTTLS'] } : {}),
    size: MAX_MESSAGE_BYTES,
    hideREQUIRETLS: true,
    hideENHANCEDSTATUSCODES: false,
    heloResponse: '%s Hello %s',
    authRequiredMessage: SMTP_TEXT.notAuthenticated,
    disableReverseLookup: true,
    socketTimeout: deps.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    closeTimeout: 1_000,
    logger: false,

    onAuth(auth, session, callback) {
      if (auth.method !== 'XOAUTH2' || !auth.accessToken) {
        if (auth.username) server.connectionOf(session)?.noteAuthUser(auth.username);
        return callback(smtpError(535, SMTP_TEXT.basicAuthDisabled(name)));
      }
      const verdict = judgeBearer(auth.username ?? '', auth.accessToken, 'smtp', deps.tenant(), deps.publicKey);
      if (verdict.outcome === 'rejected') return callback(smtpError(535, SMTP_TEXT.authFailed(name)));
      if (verdict.outcome === 'smtp-auth-disabled')
        return callback(smtpError(535, SMTP_TEXT.authDisabled(verdict.level, name)));
      callback(null, { user: verdict });
    },

    onMailFrom(address, session, callback) {
      const login = session.user as Login | undefined;
      if (!login) return callback(smtpError(530, SMTP_TEXT.notAuthenticated));
      // Without Send As the client may only send as the mailbox it authenticated for.
      if (address.address.toLowerCase() !== login.user.toLowerCase()) {
        return callback(smtpError(550, SMTP_TEXT.sendAsDenied));
      }
      const restricted = deps.tenant().exchange.restrictedSenders ?? [];
      if (restricted.some((r) => r.toLowerCase() === login.mailbox.toLowerCase()))
        return callback(smtpError(550, SMTP_TEXT.restrictedSender));
      callback();
    },

    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        // An app with no right on the mailbox got through AUTH; the store refuses the message (nothing is kept).
        if ((session.user as Login | undefined)?.connected === false)
          return callback(smtpError(430, SMTP_TEXT.mailboxLogonFailure(name)));
        const raw = Buffer.concat(chunks).toString('utf8');
        // The store submits only as an address of the mailbox (or one it holds Send As on, which the emulator lacks).
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const login = session.user as Login | undefined;
        const owner =
          login && deps.tenant().users.find((u) => u.userPrincipalName.toLowerCase() === login.mailbox.toLowerCase());
        if (owner && !isAddressOf(owner, from))
          return callback(smtpError(554, SMTP_TEXT.sendAsDeniedAtSubmission(primaryAddress(owner), from, name)));
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          size: Buffer.byteLength(raw),
          raw,
          at: new Date().toISOString(),
        });
        if (messages.length > MAX_KEPT_MESSAGES) messages.splice(0, messages.length - MAX_KEPT_MESSAGES);
        callback(null, SMTP_TEXT.queued(randomUUID(), name));
      });
    },
  });
  server.on('error', () => undefined);

  const raws = new Set<net.Socket>();
  server.server.on('connection', (raw: net.Socket) => {
    raws.add(raw);
    raw.on('close', () => raws.delete(raw));
  });
  const drip = deps.faults?.dripBytesPerSecond;
  const innerPort = await listen(server.server, drip ? '127.0.0.1' : deps.host, drip ? 0 : deps.port);
  const proxy = drip ? await startDripProxy(deps.host, deps.port, innerPort, drip) : undefined;
  return {
    port: proxy?.port ?? innerPort,
    messages,
    close: async () => {
      await proxy?.close();
      for (const raw of raws) raw.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (server.server.listening) await closeServer(server.server);
    },
  };
}
