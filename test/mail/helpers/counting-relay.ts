// A TCP relay in front of a mail server: it counts the client connections it carries and says when all are
// closed, so a test sees connections the emulator's request log cannot (one that never sent a command).
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface CountingRelay {
  hostPort: string;
  /** Client connections accepted so far. */
  readonly opened: number;
  /** Client connections not closed yet. */
  readonly open: number;
  /** Resolves once `n` client connections have been accepted in all. */
  opening(n: number): Promise<void>;
  /** Resolves once no client connection is open (at once when none is). */
  allClosed(): Promise<void>;
  close(): Promise<void>;
}

export async function countingRelay(target: { host: string; port: number }): Promise<CountingRelay> {
  const sockets = new Set<net.Socket>();
  let opened = 0;
  let open = 0;
  let waiters: (() => void)[] = [];
  let openers: { n: number; resolve: () => void }[] = [];
  const server = net.createServer((client) => {
    opened++;
    open++;
    openers = openers.filter((o) => (o.n <= opened ? (o.resolve(), false) : true));
    sockets.add(client);
    const upstream = net.connect(target.port, target.host);
    sockets.add(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.end();
    });
    client.on('close', () => {
      sockets.delete(client);
      upstream.destroy();
      if (--open === 0) {
        for (const w of waiters) w();
        waiters = [];
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    hostPort: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    get opened() {
      return opened;
    },
    get open() {
      return open;
    },
    opening: (n) => (opened >= n ? Promise.resolve() : new Promise<void>((resolve) => openers.push({ n, resolve }))),
    allClosed: () => (open === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
