// Tiny loopback servers for the fault modes a real server cannot be talked into: a port nobody listens on,
// a black hole, a reset in the TLS handshake, a drip, an endless line or body, a certificate of the wrong kind.
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { listenLoopback } from '../../helpers/loopback-server.js';

export interface FaultyServer {
  port: number;
  /** host:port as configs take it. */
  hostPort: string;
  /** Bytes this server wrote before the client went away (for the bounded-memory modes). */
  readonly bytesSent: number;
  close(): Promise<void>;
}

type Material = { key: string; cert: string };

async function serve(server: net.Server, sockets: Set<net.Socket>, counter: { bytes: number }): Promise<FaultyServer> {
  const { port, hostPort, close } = await listenLoopback(server, sockets);
  return {
    port,
    hostPort,
    get bytesSent() {
      return counter.bytes;
    },
    close,
  };
}

/** A port that was free a moment ago: connecting is refused. */
export async function refusedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Accepts TCP and never says a byte. */
export function blackHole(): Promise<FaultyServer> {
  return serve(
    net.createServer(() => {}),
    new Set(),
    { bytes: 0 },
  );
}

/** Reads the client's first bytes (the TLS ClientHello) and answers with a TCP reset. */
export function resetInHandshake(): Promise<FaultyServer> {
  return serve(
    net.createServer((s) => s.once('data', () => s.resetAndDestroy())),
    new Set(),
    { bytes: 0 },
  );
}

/** Keeps writing `chunk` as fast as the client reads, after `head`, until the client hangs up. */
function flood(s: net.Socket, head: string, chunk: Buffer, counter: { bytes: number }): void {
  s.write(head);
  const pump = () => {
    while (!s.destroyed && s.writable) {
      counter.bytes += chunk.length;
      if (!s.write(chunk)) {
        s.once('drain', pump);
        return;
      }
    }
  };
  pump();
}

/** TLS, then a mail greeting line that never ends. */
export function endlessLine(material: Material): Promise<FaultyServer> {
  const counter = { bytes: 0 };
  const chunk = Buffer.alloc(16 * 1024, 'x');
  return serve(
    tls.createServer(material, (s) => {
      s.on('error', () => {});
      flood(s, '* OK ', chunk, counter);
    }),
    new Set(),
    counter,
  );
}

/** HTTPS answering every request 200 with a JSON body that never ends. */
export function endlessBody(material: Material): Promise<FaultyServer> {
  const counter = { bytes: 0 };
  const chunk = Buffer.alloc(64 * 1024, ' ');
  const server = https.createServer(material, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"padding":"');
    const pump = () => {
      while (!res.destroyed) {
        counter.bytes += chunk.length;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
    };
    pump();
  });
  return serve(server, new Set(), counter);
}

/** HTTPS whose answer arrives one byte a second (headers included). */
export function dripHttps(material: Material): Promise<FaultyServer> {
  const counter = { bytes: 0 };
  const text = 'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}';
  const server = tls.createServer(material, (s) => {
    s.on('error', () => {});
    s.once('data', () => {
      let i = 0;
      const t = setInterval(() => {
        if (s.destroyed || i >= text.length) {
          clearInterval(t);
          return;
        }
        s.write(text[i++]);
        counter.bytes++;
      }, 1000);
      s.on('close', () => clearInterval(t));
    });
  });
  return serve(server, new Set(), counter);
}

/** HTTPS with the given certificate, answering {} (reached only if the client wrongly accepts the certificate). */
export function httpsWithCert(material: Material): Promise<FaultyServer> {
  return serve(
    https.createServer(material, (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    }),
    new Set(),
    { bytes: 0 },
  );
}

/** A mail server over implicit TLS with the given certificate, greeting like IMAP. */
export function mailWithCert(material: Material): Promise<FaultyServer> {
  return serve(
    tls.createServer(material, (s) => {
      s.on('error', () => {});
      s.write('* OK ready\r\n');
    }),
    new Set(),
    { bytes: 0 },
  );
}
