// The HTTPS transport's keep-alive pool: a socket left idle long enough that the server may be closing it is
// dropped, never handed to a request (the request would meet the server's FIN or RST: ECONNRESET).
import https from 'node:https';
import { isIP, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type tls from 'node:tls';
import { VERIFY_PEER } from './trust.js';

/**
 * Longest idle time of a pooled socket. The shortest keep-alive timeouts in common use are 5 s (Node's http server,
 * Apache httpd); 3 s leaves 2 s for the round trip and a late event loop on a loaded machine. The cost of the bound
 * is a new TLS handshake after 3 s of silence towards a host, which a busy run rarely has.
 */
export const IDLE_SOCKET_MS = 3000;

export interface PoolOptions {
  idleMs: number;
  maxSockets: number;
  secureContext?: tls.SecureContext;
}

export class IdleBoundAgent extends https.Agent {
  readonly idleMs: number;
  /** When each pooled socket stops being safe to reuse. */
  readonly #staleAt = new WeakMap<Duplex, number>();
  /** Connections opened ahead of any request (warm()), by host:port, not yet handed to one. */
  readonly #warm = new Map<string, Socket[]>();

  constructor(opts: PoolOptions) {
    // `timeout` is set on every socket; when it fires on a socket in the free pool, Node destroys that socket
    // (a socket in use is left alone: the request's Deadline rules it). `lifo` hands out the most recently
    // freed socket, the least likely to be stale.
    super({
      keepAlive: true,
      maxSockets: opts.maxSockets,
      secureContext: opts.secureContext,
      timeout: opts.idleMs,
      scheduling: 'lifo',
      ...VERIFY_PEER,
    });
    this.idleMs = opts.idleMs;
  }

  // Node's docs: a falsy return destroys the socket instead of pooling it (@types/node declares void).
  override keepSocketAlive(socket: Duplex): boolean {
    const keep = (super.keepSocketAlive(socket) as unknown) !== false;
    // Node shortens the socket's idle timer when the server announces "Keep-Alive: timeout=N" (to N - 1 s).
    const bound = Math.min(this.idleMs, (socket as Socket).timeout || this.idleMs);
    if (keep) this.#staleAt.set(socket, Date.now() + bound);
    return keep;
  }

  /**
   * Opens up to `count` TLS connections to the URL's host now, so the first requests skip the TCP and TLS set-up
   * (two round trips). Each is handed to the next request that would otherwise connect; one nobody took within
   * the idle bound is closed. Warm sockets never keep the process alive.
   */
  warm(url: URL, count: number): void {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = Number(url.port || 443);
    const key = `${host}:${port}`;
    const list = this.#warm.get(key) ?? [];
    this.#warm.set(key, list);
    while (list.length < count) {
      const options = { ...this.options, host, port, servername: isIP(host) ? '' : host };
      const socket = super.createConnection(options) as Socket;
      socket.unref();
      // A failure is the request's to report: it gets a connection of its own instead.
      socket.on('error', () => socket.destroy());
      const timer = setTimeout(() => socket.destroy(), this.idleMs);
      timer.unref();
      socket.once('close', () => {
        clearTimeout(timer);
        const i = list.indexOf(socket);
        if (i >= 0) list.splice(i, 1);
      });
      list.push(socket);
    }
  }

  // The agent calls this for each new connection: a warm one is handed over first.
  override createConnection(
    options: { host?: string; port?: number | string },
    cb?: (err: Error | null, s: Duplex) => void,
  ): Duplex {
    const list = this.#warm.get(`${options.host}:${options.port}`);
    for (let s = list?.shift(); s; s = list?.shift()) {
      if (s.destroyed) continue;
      s.ref();
      return s;
    }
    return (super.createConnection as (o: unknown, c?: unknown) => Duplex)(options, cb);
  }

  /**
   * Destroy the pooled sockets idle for their bound or more. Their idle timers normally did it already, but a
   * timer runs late when the event loop is busy, and a request started meanwhile would get a stale socket.
   * Called right before each request.
   */
  dropStaleSockets(now = Date.now()): number {
    let dropped = 0;
    for (const sockets of Object.values(this.freeSockets)) {
      if (!sockets) continue;
      // A pool lists its sockets in the order they were freed, and when Node's agent picks one it skips only
      // the destroyed sockets at the head of the list: so the sockets freed before a stale one go with it.
      let last = -1;
      sockets.forEach((socket, i) => {
        if (now >= (this.#staleAt.get(socket) ?? 0)) last = i;
      });
      for (const socket of sockets.slice(0, last + 1)) {
        if (socket.destroyed) continue;
        socket.destroy();
        dropped++;
      }
    }
    return dropped;
  }
}
