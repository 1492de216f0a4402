// A relay in front of an emulated mail server that ends TLS on both sides, so it can write down every command
// line the client sends (the emulator's own log is not the witness here). IMAP and POP use implicit TLS; SMTP
// relays plain text up to STARTTLS, then upgrades both legs.
import net from 'node:net';
import tls from 'node:tls';
import { eachLine, listenLoopback } from '../../helpers/loopback-server.js';

export interface RecordingRelay {
  hostPort: string;
  readonly lines: string[];
  close(): Promise<void>;
}
type Cert = { key: string; cert: string };

function record(from: net.Socket, into: string[]): void {
  eachLine(from, (line) => into.push(line));
}

function pipeBoth(a: net.Socket, b: net.Socket): void {
  a.pipe(b);
  b.pipe(a);
  const end = () => {
    a.destroy();
    b.destroy();
  };
  a.on('error', end);
  b.on('error', end);
  a.on('close', end);
  b.on('close', end);
}

async function listen(server: net.Server, lines: string[]): Promise<RecordingRelay> {
  const { hostPort, close } = await listenLoopback(server);
  return { hostPort, lines, close };
}

export function implicitTlsRelay(
  upstream: { host: string; port: number },
  caPem: string,
  cert: Cert,
): Promise<RecordingRelay> {
  const lines: string[] = [];
  return listen(
    tls.createServer(cert, (client) => {
      const server = tls.connect({ ...upstream, ca: caPem, servername: 'localhost' });
      record(client, lines);
      pipeBoth(client, server);
    }),
    lines,
  );
}

export function startTlsSmtpRelay(
  upstream: { host: string; port: number },
  caPem: string,
  cert: Cert,
): Promise<RecordingRelay> {
  const lines: string[] = [];
  return listen(
    net.createServer((client) => {
      const server = net.connect(upstream);
      client.on('error', () => {});
      server.on('error', () => {});
      let clientBuf = '';
      server.pipe(client);
      const onClient = (d: Buffer) => {
        clientBuf += d.toString('latin1');
        let nl: number;
        while ((nl = clientBuf.indexOf('\n')) >= 0) {
          const line = clientBuf.slice(0, nl + 1);
          clientBuf = clientBuf.slice(nl + 1);
          lines.push(line.replace(/\r?\n$/, ''));
          const startTls = /^STARTTLS\s*$/i.test(line);
          // Before STARTTLS goes out, stop relaying the server: its 220 is the last plain line, then both legs upgrade.
          if (startTls) {
            client.off('data', onClient);
            server.unpipe(client);
          }
          server.write(line);
          if (startTls) {
            server.once('data', (reply: Buffer) => {
              client.write(reply);
              const up = tls.connect({ socket: server, ca: caPem, servername: 'localhost' });
              const down = new tls.TLSSocket(client, { isServer: true, ...cert });
              up.on('error', () => {});
              down.on('error', () => {});
              record(down, lines);
              pipeBoth(down, up);
            });
            server.resume(); // unpipe() left it paused: a 'data' listener alone does not restart it
            return;
          }
        }
      };
      client.on('data', onClient);
    }),
    lines,
  );
}
