// A TCP proxy that makes loopback behave like a network with a round-trip time: every chunk, in both directions,
// arrives half an RTT after it was sent, in the order sent; a new connection costs one RTT before its first byte
// can arrive (the SYN / SYN-ACK exchange), which is emulated by holding the first bytes. It also logs each
// connection's round trips (flights), from which the bench counts the round trips a run waited on.
import net from 'node:net';

export interface Flight {
  /** When the client's bytes would have left it (ms, performance.now() clock); for a greeting, the set-up end. */
  sentAt: number;
  /** When the server's answer reached the client. */
  answeredAt: number;
}

export interface ProxiedConnection {
  service: string;
  acceptedAt: number;
  /** The SYN / SYN-ACK exchange: [acceptedAt, acceptedAt + RTT]. */
  setup: Flight;
  /** Client-then-server exchanges, in order. */
  flights: Flight[];
}

export interface DelayProxy {
  host: string;
  port: number;
  service: string;
  connections: ProxiedConnection[];
  close(): Promise<void>;
}

/** Delivers chunks in order, each no earlier than its due time. */
class DelayedPipe {
  readonly #queue: Array<{ due: number; run: () => void }> = [];
  #timer?: NodeJS.Timeout;
  #lastDue = 0;

  /** Schedules `run` at `due` (or after the previous item, whichever is later: order is kept). */
  push(due: number, run: () => void): number {
    const at = Math.max(due, this.#lastDue);
    this.#lastDue = at;
    this.#queue.push({ due: at, run });
    if (this.#queue.length === 1) this.#arm();
    return at;
  }

  #arm(): void {
    const head = this.#queue[0];
    if (!head) return;
    this.#timer = setTimeout(() => this.#pump(), Math.max(0, head.due - performance.now()));
  }

  #pump(): void {
    const now = performance.now();
    while (this.#queue.length && this.#queue[0].due <= now + 0.5) this.#queue.shift()!.run();
    this.#arm();
  }

  clear(): void {
    clearTimeout(this.#timer);
    this.#queue.length = 0;
  }
}

export async function startDelayProxy(opts: {
  service: string;
  target: { host: string; port: number };
  rttMs: number;
}): Promise<DelayProxy> {
  const oneWay = opts.rttMs / 2;
  const connections: ProxiedConnection[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const acceptedAt = performance.now();
    const established = acceptedAt + opts.rttMs;
    const conn: ProxiedConnection = {
      service: opts.service,
      acceptedAt,
      setup: { sentAt: acceptedAt, answeredAt: established },
      flights: [],
    };
    connections.push(conn);
    const upstream = net.connect(opts.target.port, opts.target.host);
    sockets.add(client).add(upstream);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const toServer = new DelayedPipe();
    const toClient = new DelayedPipe();
    // The flight being answered: opened by the client's first bytes after an answer (or by the set-up's end).
    let open: { sentAt: number; arrivesAt: number } | undefined;
    let answered = true;

    client.on('data', (chunk: Buffer) => {
      // A client cannot send before the SYN-ACK reached it.
      const sentAt = Math.max(performance.now(), established);
      if (answered) {
        open = { sentAt, arrivesAt: sentAt + oneWay };
        answered = false;
      }
      toServer.push(sentAt + oneWay, () => upstream.write(chunk));
    });
    upstream.on('data', (chunk: Buffer) => {
      // The server learns of the connection half an RTT after the client did (the final ACK).
      const due = Math.max(performance.now() + oneWay, established + opts.rttMs);
      const at = toClient.push(due, () => client.write(chunk));
      if (!answered && open && at >= open.arrivesAt) {
        conn.flights.push({ sentAt: open.sentAt, answeredAt: at });
        answered = true;
      } else if (answered && conn.flights.length === 0 && !open) {
        // A greeting: the server spoke first, once the connection was up.
        conn.flights.push({ sentAt: established, answeredAt: at });
        open = { sentAt: established, arrivesAt: established };
      }
    });
    const endBoth = () => {
      toServer.push(performance.now() + oneWay, () => upstream.end());
    };
    client.on('end', endBoth);
    upstream.on('end', () => {
      toClient.push(performance.now() + oneWay, () => client.end());
    });
    const destroy = () => {
      toServer.clear();
      toClient.clear();
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', destroy);
    upstream.on('error', destroy);
    client.on('close', () => {
      toServer.push(performance.now() + oneWay, () => {
        upstream.destroy();
        sockets.delete(upstream);
      });
      sockets.delete(client);
    });
    upstream.on('close', () => {
      toClient.push(performance.now() + oneWay, () => {
        client.destroy();
        sockets.delete(client);
      });
      sockets.delete(upstream);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    host: '127.0.0.1',
    port,
    service: opts.service,
    connections,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** One round trip on a connection; `conn` numbers the connection, `index` counts its round trips (0 = set-up). */
export type CriticalRoundTrip = Flight & { service: string; kind: 'setup' | 'exchange'; index: number; conn: number };
