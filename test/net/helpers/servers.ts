// Loopback HTTPS servers for the transport tests: they count connections and requests, and misbehave on cue.
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createTestCa } from '../../clients/helpers/test-ca.js';

export const ca = createTestCa('m365-doctor transport test CA');
const leaf = ca.issue();

/** What a handler knows about the request in front of it. */
export interface Seen {
  /** 1 for the first request on its connection, 2 for the next one on the same connection, ... */
  onConnection: number;
  /** The TCP socket under TLS (a TLS socket cannot send an RST itself). */
  raw: Socket;
}

export interface TestServer {
  url: string;
  connections: number;
  requests: Array<{ method: string; onConnection: number }>;
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, seen: Seen) => void;

export const answerJson: Handler = (_req, res) => {
  // Setting Connection ourselves leaves out Node's "Keep-Alive: timeout=N" hint, which front ends rarely send.
  res.writeHead(200, { 'content-type': 'application/json', connection: 'keep-alive' });
  res.end('{"ok":true}');
};

/**
 * A server that closes a connection `idleCloseMs` after its last answer, the way a front end applies its
 * keep-alive timeout (Node's own server waits a further second, so it does this itself).
 */
export async function startServer(handler: Handler = answerJson, idleCloseMs = 60_000): Promise<TestServer> {
  // TCP sockets by client port: the TLS socket a request arrives on wraps one of them.
  const raws = new Map<number, Socket>();
  const counts = new WeakMap<object, number>();
  const idleTimers = new WeakMap<object, NodeJS.Timeout>();
  const server = https.createServer({ key: leaf.key, cert: leaf.cert });
  server.keepAliveTimeout = 60_000;
  const state: TestServer = {
    url: '',
    connections: 0,
    requests: [],
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
  server.on('connection', (raw: Socket) => {
    state.connections++;
    const port = raw.remotePort!;
    raws.set(port, raw);
    raw.on('close', () => raws.delete(port));
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const tlsSocket = req.socket;
    clearTimeout(idleTimers.get(tlsSocket));
    const onConnection = (counts.get(tlsSocket) ?? 0) + 1;
    counts.set(tlsSocket, onConnection);
    state.requests.push({ method: req.method ?? '', onConnection });
    res.on('finish', () =>
      idleTimers.set(
        tlsSocket,
        setTimeout(() => tlsSocket.destroy(), idleCloseMs),
      ),
    );
    const raw = raws.get(tlsSocket.remotePort!)!;
    req.resume();
    req.on('end', () => handler(req, res, { onConnection, raw }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
