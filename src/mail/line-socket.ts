// A line-oriented mail connection: implicit TLS or plain with a STARTTLS upgrade, a bounded line reader,
// and a fixed deadline per step (a server that drips bytes still ends at the deadline).
import net from 'node:net';
import { formatHostPort } from '../config/validate.js';
import tls from 'node:tls';
import type { HostPort } from '../config/types.js';
import { NetError } from '../core/errors.js';
import { classifyNetError, deadlineError } from '../net/classify.js';
import { Deadline } from '../net/deadline.js';
import { secureContextFor, VERIFY_PEER } from '../net/trust.js';
import { openTunnel } from '../net/connect-tunnel.js';
import { ProcessHold } from './process-hold.js';

/** Longest line accepted from a server; Exchange's longest lines are well under 1 KiB. */
export const MAX_LINE_BYTES = 64 * 1024;
/** Unread complete lines may not pile up beyond this. */
const MAX_QUEUED_BYTES = 1024 * 1024;

export interface LineSocketOptions {
  endpoint: HostPort;
  implicitTls: boolean;
  caPem?: string;
  /** Time budget of the whole dialog: each step (connect, each reply) ends by then at the latest. */
  stepMs: number;
  signal?: AbortSignal;
  /** Whether the connection keeps the process alive (a pre-connected one does not until a login takes it). */
  hold?: ProcessHold;
  /** Reach the server through this HTTP proxy's CONNECT tunnel (--mail-proxy); direct otherwise. */
  proxy?: URL;
}

export class LineSocket {
  #socket!: net.Socket;
  #partial: Buffer[] = [];
  #partialBytes = 0;
  #lines: string[] = [];
  #queuedBytes = 0;
  #failure?: NetError;
  #closed = false;
  #wake?: () => void;
  /** Every socket of the connection, for release(); the caller's hold when it gave one. */
  readonly #hold: ProcessHold;
  readonly host: string;
  // A check's time limit bounds the whole dialog, so a server answering each step just in time still ends
  // in this socket's own error (naming host and phase), not in the check's generic timeout.
  #endsAt: number;
  tlsProtocol?: string;

  private constructor(readonly opts: LineSocketOptions) {
    this.host = formatHostPort(opts.endpoint);
    this.#endsAt = Date.now() + opts.stepMs;
    this.#hold = opts.hold ?? new ProcessHold(true);
  }

  /** A step's budget: its own, cut to what is left of the dialog's. */
  #budget(ms: number): number {
    return Math.max(1, Math.min(ms, this.#endsAt - Date.now()));
  }

  static async open(opts: LineSocketOptions): Promise<LineSocket> {
    const s = new LineSocket(opts);
    const { host, port } = opts.endpoint;
    let phase = 'connect';
    if (opts.proxy) return s.#openTunnelled(opts.proxy);
    const socket = opts.implicitTls
      ? tls.connect({
          host,
          port,
          servername: sniName(host),
          secureContext: secureContextFor(opts.caPem),
          ...VERIFY_PEER,
        })
      : net.connect({ host, port });
    s.#hold.track(socket);
    socket.once('connect', () => {
      phase = opts.implicitTls ? 'tls' : 'connect';
    });
    await s.#step(
      () => phase,
      socket,
      (done) => socket.once(opts.implicitTls ? 'secureConnect' : 'connect', done),
    );
    s.#attach(socket);
    return s;
  }

  async #openTunnelled(proxy: URL): Promise<LineSocket> {
    const { host, port } = this.opts.endpoint;
    const tunnel = await openTunnel(proxy, host, port, this.#budget(this.opts.stepMs), this.opts.signal);
    this.#hold.track(tunnel);
    if (!this.opts.implicitTls) {
      this.#attach(tunnel);
      // The tunnel was read in paused mode (its head only): the dialog's reads start it flowing.
      tunnel.resume();
      return this;
    }
    await this.#tlsOver(tunnel);
    return this;
  }

  /** Upgrade the plain connection to TLS (after the server's "ready to start TLS" reply). */
  async startTls(): Promise<void> {
    const plain = this.#socket;
    plain.removeAllListeners('data');
    await this.#tlsOver(plain);
  }

  /** TLS to the endpoint over an open socket (a proxy tunnel, or the plain connection after STARTTLS). */
  async #tlsOver(base: net.Socket): Promise<void> {
    const socket = tls.connect({
      socket: base,
      servername: sniName(this.opts.endpoint.host),
      secureContext: secureContextFor(this.opts.caPem),
      ...VERIFY_PEER,
    });
    this.#hold.track(socket);
    await this.#step(
      () => 'tls',
      socket,
      (done) => socket.once('secureConnect', done),
    );
    this.#attach(socket);
  }

  /** Next line without its CR LF; throws NetError on deadline, close, reset or an oversized line. */
  async readLine(phase: string, stepMs = this.opts.stepMs): Promise<string> {
    const ms = this.#budget(stepMs);
    const deadline = new Deadline(ms, this.opts.signal);
    try {
      for (;;) {
        const line = this.#lines.shift();
        if (line !== undefined) {
          this.#queuedBytes -= line.length;
          return line;
        }
        if (this.#failure) throw withPhase(this.#failure, phase);
        if (this.#closed)
          throw new NetError(
            'CONNECTION_CLOSED',
            this.host,
            phase,
            `${this.host} closed the connection during ${phase}`,
          );
        if (deadline.signal.aborted) throw deadlineError(deadline.timedOut, this.host, phase, ms);
        await new Promise<void>((resolve) => {
          const done = () => {
            deadline.signal.removeEventListener('abort', done);
            this.#wake = undefined;
            resolve();
          };
          this.#wake = done;
          deadline.signal.addEventListener('abort', done, { once: true });
        });
      }
    } finally {
      deadline.dispose();
    }
  }

  /**
   * The dialog's budget counted again from `startedAt`: a login taking over a pre-connected socket gets the
   * budget it would have had, had it connected itself at that instant.
   */
  restartBudget(startedAt: number): void {
    this.#endsAt = startedAt + this.opts.stepMs;
  }

  /** Open, and nothing unread or failed since the last line was read: safe to carry on the dialog. */
  get quiet(): boolean {
    return !this.#closed && !this.#failure && this.#lines.length === 0 && this.#partialBytes === 0;
  }

  get localAddress(): string | undefined {
    return this.#socket?.localAddress;
  }

  /** `flushed` runs once the line is handed to the operating system (never, when the connection is gone). */
  write(text: string, flushed?: () => void): void {
    if (!this.#closed && !this.#failure) this.#socket.write(`${text}\r\n`, flushed && (() => flushed()));
  }

  /** The connection stops keeping the process alive: what is still to come from the server is not waited for. */
  release(): void {
    this.#hold.set(false);
  }

  writeRaw(data: Buffer | string): void {
    if (!this.#closed && !this.#failure) this.#socket.write(data);
  }

  close(): void {
    this.#closed = true;
    this.#socket?.destroy();
  }

  /** Wait for `arm` to signal completion within one step's deadline; failures become NetErrors. */
  async #step(phase: () => string, socket: net.Socket, arm: (done: () => void) => void): Promise<void> {
    const ms = this.#budget(this.opts.stepMs);
    const deadline = new Deadline(ms, this.opts.signal);
    try {
      await new Promise<void>((resolve, reject) => {
        const fail = (err: unknown) => {
          socket.destroy();
          reject(err instanceof NetError ? err : classifyNetError(err, this.host, phase()));
        };
        const onClose = () =>
          fail(
            new NetError(
              'CONNECTION_CLOSED',
              this.host,
              phase(),
              `${this.host} closed the connection during ${phase()}`,
            ),
          );
        socket.once('error', fail);
        socket.once('close', onClose);
        const onDeadline = () => fail(deadlineError(deadline.timedOut, this.host, phase(), ms));
        // A signal that fired before this step began (the run ended while the step was being set up) fires no event.
        if (deadline.signal.aborted) {
          onDeadline();
          return;
        }
        deadline.signal.addEventListener('abort', onDeadline, { once: true });
        arm(() => {
          socket.removeListener('error', fail);
          socket.removeListener('close', onClose);
          resolve();
        });
      });
    } finally {
      deadline.dispose();
    }
    if (socket instanceof tls.TLSSocket) this.tlsProtocol = socket.getProtocol() ?? undefined;
  }

  #attach(socket: net.Socket): void {
    this.#socket = socket;
    // A dialog of short lines: Nagle plus delayed ACKs would add ~40 ms to every round trip.
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', (err) => {
      if (this.#socket === socket) this.#fail(classifyNetError(err, this.host, 'read'));
    });
    socket.on('close', () => {
      if (this.#socket === socket) {
        this.#closed = true;
        this.#wake?.();
      }
    });
  }

  #onData(chunk: Buffer): void {
    let start = 0;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, i);
      const line = this.#partialBytes ? Buffer.concat([...this.#partial, piece]) : piece;
      this.#partial = [];
      this.#partialBytes = 0;
      if (line.length > MAX_LINE_BYTES) {
        this.#tooLong();
        return;
      }
      const text = line.toString('utf8').replace(/\r$/, '');
      this.#lines.push(text);
      this.#queuedBytes += text.length;
      start = i + 1;
    }
    const rest = chunk.subarray(start);
    if (rest.length) {
      this.#partial.push(rest);
      this.#partialBytes += rest.length;
    }
    if (this.#partialBytes > MAX_LINE_BYTES) {
      this.#tooLong();
      return;
    }
    if (this.#queuedBytes > MAX_QUEUED_BYTES) {
      this.#fail(
        new NetError(
          'RESPONSE_TOO_LARGE',
          this.host,
          'read',
          `${this.host} sent more than ${MAX_QUEUED_BYTES} bytes of unread lines`,
          { maxBytes: MAX_QUEUED_BYTES },
        ),
      );
      return;
    }
    this.#wake?.();
  }

  #tooLong(): void {
    this.#fail(
      new NetError(
        'RESPONSE_TOO_LARGE',
        this.host,
        'read',
        `${this.host} sent a line longer than ${MAX_LINE_BYTES} bytes`,
        { maxBytes: MAX_LINE_BYTES },
      ),
    );
  }

  #fail(err: NetError): void {
    this.#failure ??= err;
    this.#partial = [];
    this.#partialBytes = 0;
    this.#socket.destroy();
    this.#wake?.();
  }
}

/** SNI carries host names only; an IP address is verified against the certificate's IP SANs instead. */
function sniName(host: string): string | undefined {
  return net.isIP(host) ? undefined : host;
}

function withPhase(err: NetError, phase: string): NetError {
  return err.phase === phase
    ? err
    : new NetError(err.code, err.host, phase, err.message.replace(/during read\b/, `during ${phase}`), err.detail);
}
