// Fault mode: a loopback TCP relay in front of a mail server that hands the server's bytes on slowly.
import net from 'node:net';
import type { RunningServer } from './deps.js';
import { listen, closeServer } from './listen.js';

const TICK_MS = 50;

/** Relay host:port to 127.0.0.1:targetPort, passing at most bytesPerSecond of server output to the client. */
export async function startDripProxy(
  host: string,
  port: number,
  targetPort: number,
  bytesPerSecond: number,
): Promise<RunningServer> {
  const sockets = new Set<net.Socket>();
  const perTick = Math.max(1, Math.round((bytesPerSecond * TICK_MS) / 1000));
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    let pending: Buffer = Buffer.alloc(0);
    let upstreamEnded = false;
    upstream.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
    });
    upstream.on('end', () => {
      upstreamEnded = true;
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => {
      upstreamEnded = true;
    });
    const timer = setInterval(() => {
      if (client.destroyed) return clearInterval(timer);
      if (pending.length) {
        client.write(pending.subarray(0, perTick));
        pending = pending.subarray(perTick);
      } else if (upstreamEnded) {
        clearInterval(timer);
        client.end();
      }
    }, TICK_MS);
  });
  const boundPort = await listen(server, host, port);
  return {
    port: boundPort,
    close: async () => {
      for (const s of sockets) s.destroy();
      await closeServer(server);
    },
  };
}
