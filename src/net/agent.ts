// The HTTPS transport's keep-alive pool: a socket left idle long enough that the server may be closing it is
// dropped, never handed to a request (the request would meet the server's FIN or RST: ECONNRESET).
import https from 'node:https';
import type { Socket } from 'node:net';
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

  constructor(opts: PoolOptions) {
    // `timeout` is set on every socket; when it fires on a socket in the free pool, Node destroys that socket
    // (a socket in use is left alone: the request's Deadline rules it). `lifo` hands out the most recently
    // freed socket, the least likely to be stale.
    super({ keepAlive: true, maxSockets: opts.maxSockets, secureContext: opts.secureContext, timeout: opts.idleMs, scheduling: 'lifo', ...VERIFY_PEER });
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
      sockets.forEach((socket, i) => { if (now >= (this.#staleAt.get(socket) ?? 0)) last = i; });
      for (const socket of sockets.slice(0, last + 1)) {
        if (socket.destroyed) continue;
        socket.destroy();
        dropped++;
      }
    }
    return dropped;
  }
}
