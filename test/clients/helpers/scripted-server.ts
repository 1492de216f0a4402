// A loopback TCP/TLS server whose every connection runs a test-written script, for mail dialogs and faults.
import net from 'node:net';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { eachLine } from '../../helpers/loopback-server.js';
import type { Issued } from './test-ca.js';

export interface Conn {
  send(line: string): void;
  sendRaw(data: string | Buffer): void;
  /** Next line from the client without CRLF, or null once it has closed. */
  read(): Promise<string | null>;
  /** Upgrade to TLS in place (after a STARTTLS reply). */
  startTls(tlsMaterial: Issued): Promise<void>;
  end(): void;
  reset(): void;
  closed: Promise<void>;
  /** Every line the client sent (the tests inspect it for secrets and framing). */
  received: string[];
}

export interface ScriptedServer {
  port: number;
  host: string;
  connections: number;
  close(): Promise<void>;
}

export async function startScriptedServer(opts: {
  tls?: Issued;
  script: (c: Conn) => Promise<void>;
}): Promise<ScriptedServer> {
  const sockets = new Set<net.Socket>();
  // The TCP socket under each TLS connection, in arrival order: only it can send a reset.
  const raws: net.Socket[] = [];
  const state = { connections: 0 };
  const onSocket = (raw: net.Socket) => {
    state.connections++;
    sockets.add(raw);
    raw.on('close', () => sockets.delete(raw));
    raw.on('error', () => {});
    const conn = makeConn(raw, opts.tls ? (raws.shift() ?? raw) : raw);
    opts
      .script(conn)
      .catch(() => {})
      .finally(() => {});
  };
  const server = opts.tls
    ? tls.createServer({ key: opts.tls.key, cert: opts.tls.cert }, onSocket)
    : net.createServer(onSocket);
  server.on('tlsClientError', () => {});
  if (opts.tls)
    server.on('connection', (raw: net.Socket) => {
      raws.push(raw);
      raw.on('error', () => {});
    });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    host: '127.0.0.1',
    get connections() {
      return state.connections;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

function makeConn(initial: net.Socket, tcp: net.Socket): Conn {
  let socket = initial;
  const lines: string[] = [];
  let waiter: (() => void) | undefined;
  let ended = false;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => {
    resolveClosed = r;
  });
  const received: string[] = [];
  const attach = (s: net.Socket) => {
    eachLine(
      s,
      (l) => {
        lines.push(l);
        received.push(l);
        waiter?.();
      },
      'utf8',
    );
    s.on('close', () => {
      if (s === socket) {
        ended = true;
        waiter?.();
        resolveClosed();
      }
    });
    s.on('error', () => {});
  };
  attach(socket);
  return {
    received,
    closed,
    send: (line) => {
      if (!socket.destroyed) socket.write(`${line}\r\n`);
    },
    sendRaw: (data) => {
      if (!socket.destroyed) socket.write(data);
    },
    async read() {
      for (;;) {
        const l = lines.shift();
        if (l !== undefined) return l;
        if (ended) return null;
        await new Promise<void>((r) => {
          waiter = () => {
            waiter = undefined;
            r();
          };
        });
      }
    },
    async startTls(material) {
      const plain = socket;
      plain.removeAllListeners('data');
      const secure = new tls.TLSSocket(plain, { isServer: true, key: material.key, cert: material.cert });
      socket = secure;
      attach(secure);
      await new Promise<void>((r, j) => {
        secure.once('secure', () => r());
        secure.once('error', j);
      });
    },
    end: () => socket.end(),
    reset: () => (socket === initial ? tcp : socket).resetAndDestroy(),
  };
}
