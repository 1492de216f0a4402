// Hostile mail servers that quote the client's XOAUTH2 line back in their refusal (NO, -ERR, 535), in whatever
// form `echo` makes of it: the base64 blob itself, base64 of it shifted by a byte, the decoded text.
import net from 'node:net';
import tls from 'node:tls';
import { eachLine, listenLoopback } from '../../helpers/loopback-server.js';

export type Echo = (blob: string) => string;
export interface EchoMailServer {
  hostPort: string;
  readonly blobs: string[];
  close(): Promise<void>;
}
type Cert = { key: string; cert: string };

async function serve(server: net.Server, blobs: string[]): Promise<EchoMailServer> {
  const { hostPort, close } = await listenLoopback(server);
  return { hostPort, blobs, close };
}

export function echoImap(cert: Cert, echo: Echo): Promise<EchoMailServer> {
  const blobs: string[] = [];
  return serve(
    tls.createServer(cert, (s) => {
      s.on('error', () => {});
      s.write('* OK IMAP4rev1 echo server ready\r\n');
      let pendingTag = '';
      eachLine(s, (line) => {
        if (pendingTag) {
          blobs.push(line);
          s.write(`${pendingTag} NO [AUTHENTICATIONFAILED] you sent ${echo(line)}\r\n`);
          pendingTag = '';
          return;
        }
        const [tag, command = '', , ir] = line.split(' ');
        if (/^CAPABILITY$/i.test(command)) s.write(`* CAPABILITY IMAP4rev1 AUTH=XOAUTH2 SASL-IR\r\n${tag} OK done\r\n`);
        else if (/^AUTHENTICATE$/i.test(command)) {
          if (ir) {
            blobs.push(ir);
            s.write(`${tag} NO [AUTHENTICATIONFAILED] you sent ${echo(ir)}\r\n`);
          } else {
            pendingTag = tag;
            s.write('+ \r\n');
          }
        } else if (/^LOGOUT$/i.test(command)) s.end(`* BYE\r\n${tag} OK bye\r\n`);
        else s.write(`${tag} BAD what\r\n`);
      });
    }),
    blobs,
  );
}

export function echoPop(cert: Cert, echo: Echo): Promise<EchoMailServer> {
  const blobs: string[] = [];
  return serve(
    tls.createServer(cert, (s) => {
      s.on('error', () => {});
      s.write('+OK POP3 echo server ready\r\n');
      let authing = false;
      eachLine(s, (line) => {
        if (authing) {
          authing = false;
          blobs.push(line);
          s.write(`-ERR [AUTH] you sent ${echo(line)}\r\n`);
          return;
        }
        if (/^CAPA$/i.test(line)) s.write('+OK\r\nUSER\r\nSASL XOAUTH2\r\n.\r\n');
        else if (/^AUTH XOAUTH2$/i.test(line)) {
          authing = true;
          s.write('+ \r\n');
        } else if (/^AUTH XOAUTH2 /i.test(line)) {
          const blob = line.slice(13);
          blobs.push(blob);
          s.write(`-ERR [AUTH] you sent ${echo(blob)}\r\n`);
        } else if (/^QUIT$/i.test(line)) s.end('+OK bye\r\n');
        else s.write('-ERR what\r\n');
      });
    }),
    blobs,
  );
}

export function echoSmtp(cert: Cert, echo: Echo): Promise<EchoMailServer> {
  const blobs: string[] = [];
  return serve(
    net.createServer((plain) => {
      plain.write('220 echo.test ESMTP ready\r\n');
      const dialog = (s: net.Socket | tls.TLSSocket, secure: boolean) => {
        let authing = false;
        eachLine(s, (line) => {
          if (authing) {
            authing = false;
            blobs.push(line);
            s.write(`535 5.7.3 Authentication unsuccessful, you sent ${echo(line)}\r\n`);
            return;
          }
          const verb = line.split(' ')[0].toUpperCase();
          if (verb === 'EHLO')
            s.write(secure ? '250-echo.test\r\n250 AUTH XOAUTH2\r\n' : '250-echo.test\r\n250 STARTTLS\r\n');
          else if (verb === 'STARTTLS' && !secure) {
            s.removeAllListeners('data');
            s.write('220 2.0.0 go ahead\r\n');
            const t = new tls.TLSSocket(s as net.Socket, { isServer: true, ...cert });
            t.on('error', () => {});
            dialog(t, true);
          } else if (verb === 'AUTH') {
            const ir = line.split(' ')[2];
            if (ir) {
              blobs.push(ir);
              s.write(`535 5.7.3 you sent ${echo(ir)}\r\n`);
            } else {
              authing = true;
              s.write('334 \r\n');
            }
          } else if (verb === 'QUIT') s.end('221 bye\r\n');
          else s.write('250 ok\r\n');
        });
      };
      dialog(plain, false);
    }),
    blobs,
  );
}

/** The transformations a careless or hostile server applies to what it quotes. */
export const ECHOES: Record<string, Echo> = {
  'the blob': (b) => b,
  'base64 of "#" + the blob': (b) => Buffer.from(`#${b}`).toString('base64'),
  'base64 of the decoded blob, one byte in': (b) =>
    Buffer.from(`#${Buffer.from(b, 'base64').toString('latin1')}`, 'latin1').toString('base64'),
  'base64url of the decoded blob, two bytes in': (b) =>
    Buffer.from(`##${Buffer.from(b, 'base64').toString('latin1')}`, 'latin1').toString('base64url'),
  'the decoded blob': (b) => Buffer.from(b, 'base64').toString('latin1').replace(/\x01/g, '^A'),
};
