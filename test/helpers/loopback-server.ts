// The plumbing every small test server shares: listen on a free loopback port, keep track of the connections so
// close() can end them (a client left hanging would keep the server open), and split what a client sends into lines.
import type net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface Listening {
  port: number;
  /** host:port as configs take it. */
  hostPort: string;
  close(): Promise<void>;
}

/** Starts `server` on 127.0.0.1 and a free port; socket and TLS errors are the client's business, not the test's. */
export async function listenLoopback(server: net.Server, sockets = new Set<net.Socket>()): Promise<Listening> {
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    hostPort: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** Calls `onLine` with every line the socket receives, without its CR LF (bytes read as latin1 unless told). */
export function eachLine(
  socket: net.Socket,
  onLine: (line: string) => void,
  encoding: BufferEncoding = 'latin1',
): void {
  let buf = '';
  socket.on('data', (d: Buffer) => {
    buf += d.toString(encoding);
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).replace(/\r$/, '');
      buf = buf.slice(nl + 1);
      onLine(line);
    }
  });
}
