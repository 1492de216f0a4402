// Servers whose certificates nobody trusts (a CA made for the test and never handed to the client), recording
// every byte a client sends after the TLS handshake: with certificates verified, there must be none.
import net from 'node:net';
import tls from 'node:tls';
import { createCertificateAuthority } from '../../../src/emulator/tls.js';
import { listenLoopback } from '../../helpers/loopback-server.js';

export interface RecordingServer {
  hostPort: string;
  origin: string;
  /** Handshakes the client completed (it accepted the certificate). */
  readonly handshakes: number;
  /** Decrypted bytes the client sent (a request line, a form body, an AUTH line). */
  readonly received: string;
  close(): Promise<void>;
}

const untrusted = () => createCertificateAuthority().issueServerCert({ hosts: ['127.0.0.1', 'localhost'] });

async function listen(
  server: net.Server,
  sockets: Set<net.Socket>,
  state: { handshakes: number; received: string },
): Promise<RecordingServer> {
  const { port, hostPort, close } = await listenLoopback(server, sockets);
  return {
    hostPort,
    origin: `https://127.0.0.1:${port}`,
    get handshakes() {
      return state.handshakes;
    },
    get received() {
      return state.received;
    },
    close,
  };
}

/** Implicit TLS (HTTPS, IMAPS, POP3S): greets with `greeting` once the handshake is done, then records. */
export function untrustedTlsServer(greeting = ''): Promise<RecordingServer> {
  const state = { handshakes: 0, received: '' };
  const sockets = new Set<net.Socket>();
  const server = tls.createServer(untrusted(), (s) => {
    state.handshakes++;
    s.on('error', () => {});
    if (greeting) s.write(greeting);
    s.on('data', (d: Buffer) => {
      state.received += d.toString('latin1');
    });
  });
  return listen(server, sockets, state);
}

/** SMTP submission: speaks plain text up to STARTTLS, then upgrades with the untrusted certificate and records. */
export function untrustedStartTlsSmtp(): Promise<RecordingServer> {
  const state = { handshakes: 0, received: '' };
  const sockets = new Set<net.Socket>();
  const cert = untrusted();
  const server = net.createServer((plain) => {
    plain.write('220 smtp.test ESMTP ready\r\n');
    let buffer = '';
    const onData = (d: Buffer) => {
      buffer += d.toString('latin1');
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).trim().toUpperCase();
        buffer = buffer.slice(nl + 1);
        if (line.startsWith('EHLO') || line.startsWith('HELO'))
          plain.write('250-smtp.test\r\n250-STARTTLS\r\n250 AUTH XOAUTH2\r\n');
        else if (line === 'STARTTLS') {
          plain.off('data', onData);
          plain.write('220 2.0.0 go ahead\r\n');
          const secure = new tls.TLSSocket(plain, { isServer: true, ...cert });
          secure.on('error', () => {});
          secure.on('secure', () => {
            state.handshakes++;
          });
          secure.on('data', (x: Buffer) => {
            state.received += x.toString('latin1');
          });
          return;
        } else if (line === 'QUIT') plain.end('221 bye\r\n');
        else plain.write('250 ok\r\n');
      }
    };
    plain.on('data', onData);
  });
  return listen(server, sockets, state);
}
