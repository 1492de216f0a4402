// Implicit-TLS line server shared by the emulated IMAP and POP3 services: TLS, framing, idle timeout,
// socket bookkeeping and the fault modes. Protocol logic lives in the session each connection gets.
import net from 'node:net';
import tls from 'node:tls';
import type { ExchangeDeps, RunningServer } from './deps.js';
import { startDripProxy } from './drip-proxy.js';
import { OVERSIZED_PADDING, planGreeting, resetSoon } from './faults.js';
import { LineReader } from './line-reader.js';
import { closeServer, listen } from './listen.js';

export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

/** What a protocol session can do with its connection. */
export interface LineConnection {
  /** Write reply lines (CRLF added). */
  send(...lines: string[]): void;
  /** Write optional last lines, then close. Later input is ignored. */
  close(...lines: string[]): void;
  /** Hand the next `bytes` raw bytes to `done` instead of splitting them into lines. */
  expectLiteral(bytes: number, done: (data: Buffer) => void): void;
  readonly closed: boolean;
}

export interface LineSession {
  onLine(line: string): void;
  /** Sent before closing when a client line exceeds the limit. */
  readonly overflowReply: string;
  /** Sent before closing an idle connection. */
  readonly idleReply: string;
}

export interface LineServerSpec {
  deps: ExchangeDeps;
  greeting: string;
  createSession(conn: LineConnection): LineSession;
}

export async function startLineServer({ deps, greeting, createSession }: LineServerSpec): Promise<RunningServer> {
  const raws = new Set<net.Socket>();
  const secureContext = tls.createSecureContext({ key: deps.tls.key, cert: deps.tls.cert });
  const idleMs = deps.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;

  const server = net.createServer((raw) => {
    raws.add(raw);
    // Replies go out as several short writes; Nagle plus the client's delayed ACK would stall each by ~40 ms.
    raw.setNoDelay(true);
    raw.on('close', () => raws.delete(raw));
    raw.on('error', () => raw.destroy());
    // Bounds the TLS handshake; the session's own idle timer takes over once it is done.
    raw.setTimeout(idleMs, () => raw.destroy());
    const socket = new tls.TLSSocket(raw, { isServer: true, secureContext });
    socket.on('error', () => raw.destroy());
    socket.once('secure', () => {
      raw.setTimeout(0);
      serve(raw, socket);
    });
  });

  function serve(raw: net.Socket, socket: tls.TLSSocket): void {
    let closed = false;
    let padNextReply = deps.faults?.oversizedLine === true;
    const conn: LineConnection = {
      get closed() {
        return closed;
      },
      send(...lines) {
        if (closed || socket.destroyed || lines.length === 0) return;
        if (padNextReply) {
          padNextReply = false;
          lines = [`${lines[0]} ${OVERSIZED_PADDING}`, ...lines.slice(1)];
        }
        socket.write(lines.map((l) => `${l}\r\n`).join(''));
      },
      close(...lines) {
        conn.send(...lines);
        closed = true;
        reader.stop();
        socket.end();
        // A client that never reads must not keep the socket open.
        setTimeout(() => raw.destroy(), 2_000).unref();
      },
      expectLiteral(bytes, done) {
        reader.expectLiteral(bytes, done);
      },
    };
    const session = createSession(conn);
    const onLine = (line: string) => {
      // A session bug must cost this one connection, never the emulator process.
      try {
        session.onLine(line);
      } catch {
        conn.close();
      }
    };
    const reader = new LineReader(onLine, () => conn.close(session.overflowReply));
    socket.setTimeout(idleMs, () => conn.close(session.idleReply));

    const plan = planGreeting(greeting, deps.faults);
    if (plan.kind === 'truncate') {
      closed = true;
      socket.end(plan.text);
      return;
    }
    if (plan.kind === 'send') {
      socket.write(plan.text, () => {
        if (plan.thenReset) resetSoon(raw);
      });
      if (plan.thenReset) {
        closed = true;
        return;
      }
    }
    socket.on('data', (chunk: Buffer) => reader.push(chunk));
  }

  // With drip on, the server hides behind a relay on the public address and listens on loopback itself.
  const drip = deps.faults?.dripBytesPerSecond;
  const innerPort = await listen(server, drip ? '127.0.0.1' : deps.host, drip ? 0 : deps.port);
  const proxy = drip ? await startDripProxy(deps.host, deps.port, innerPort, drip) : undefined;
  return {
    port: proxy?.port ?? innerPort,
    close: async () => {
      await proxy?.close();
      for (const raw of raws) raw.destroy();
      await closeServer(server);
    },
  };
}
