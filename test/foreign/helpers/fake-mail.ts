// Small loopback mail servers speaking like Dovecot 2.3 (not like Exchange): its success and failure texts, its
// base64 JSON failure challenge, and the variations a foreign server may have - no SASL-IR, no CAPA, no SASL line in
// CAPA, an AUTH line capped at 1 KiB. `accept` judges the bearer token; every line received is recorded.
import net from 'node:net';
import tls from 'node:tls';
import { loopbackServerCert } from '../../../src/emulator/tls.js';
import { eachLine, listenLoopback } from '../../helpers/loopback-server.js';

export interface FakeMail {
  hostPort: string;
  readonly lines: string[];
  close(): Promise<void>;
}
export type Accept = (user: string, token: string) => boolean;

/** Dovecot's failure challenge: {"status":"401","schemes":"bearer","scope":"mail"}. */
export const DOVECOT_CHALLENGE = 'eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiYmVhcmVyIiwic2NvcGUiOiJtYWlsIn0=';

export function parseXoauth2(blob: string): { user: string; token: string } {
  const text = Buffer.from(blob, 'base64').toString('utf8');
  return { user: text.match(/^user=([^\x01]*)/)?.[1] ?? '', token: text.match(/auth=Bearer ([^\x01]*)/)?.[1] ?? '' };
}

function onLines(s: net.Socket, lines: string[], fn: (line: string) => void): void {
  s.setTimeout(10_000, () => s.destroy());
  eachLine(s, (line) => {
    lines.push(line);
    fn(line);
  });
}

async function serve(server: net.Server, lines: string[]): Promise<FakeMail> {
  const { hostPort, close } = await listenLoopback(server);
  return { hostPort, lines, close };
}

export function dovecotImap(accept: Accept, opts: { saslIr?: boolean } = {}): Promise<FakeMail> {
  const lines: string[] = [];
  const caps = `IMAP4rev1 LITERAL+${opts.saslIr === false ? '' : ' SASL-IR'} LOGIN-REFERRALS ID ENABLE IDLE AUTH=XOAUTH2`;
  return serve(
    tls.createServer(loopbackServerCert(), (s) => {
      s.on('error', () => {});
      s.write(`* OK [CAPABILITY ${caps}] Dovecot (Debian) ready.\r\n`);
      let pending: { tag: string; stage: 'blob' | 'answer' } | undefined;
      const judge = (tag: string, blob: string) => {
        const { user, token } = parseXoauth2(blob);
        if (accept(user, token)) s.write(`${tag} OK [CAPABILITY IMAP4rev1 IDLE] Logged in\r\n`);
        else {
          pending = { tag, stage: 'answer' };
          s.write(`+ ${DOVECOT_CHALLENGE}\r\n`);
        }
      };
      onLines(s, lines, (line) => {
        if (pending?.stage === 'blob') {
          const { tag } = pending;
          pending = undefined;
          judge(tag, line);
          return;
        }
        if (pending?.stage === 'answer') {
          s.write(`${pending.tag} NO [AUTHENTICATIONFAILED] Authentication failed.\r\n`);
          pending = undefined;
          return;
        }
        const [tag, command = '', mech, ir] = line.split(' ');
        if (/^CAPABILITY$/i.test(command))
          s.write(
            `* CAPABILITY ${caps}\r\n${tag} OK Pre-login capabilities listed, post-login capabilities have more.\r\n`,
          );
        else if (/^AUTHENTICATE$/i.test(command) && /^XOAUTH2$/i.test(mech ?? '')) {
          if (ir && opts.saslIr === false)
            s.write(`${tag} BAD Error in IMAP command AUTHENTICATE: Unexpected argument\r\n`);
          else if (ir) judge(tag, ir);
          else {
            pending = { tag, stage: 'blob' };
            s.write('+ \r\n');
          }
        } else if (/^EXAMINE$/i.test(command))
          s.write(
            `* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n* 0 EXISTS\r\n${tag} OK [READ-ONLY] Examine completed (0.001 + 0.000 secs).\r\n`,
          );
        else if (/^LOGOUT$/i.test(command))
          s.end(`* BYE Logging out\r\n${tag} OK Logout completed (0.001 + 0.000 secs).\r\n`);
        else s.write(`${tag} BAD Error in IMAP command received by server.\r\n`);
      });
    }),
    lines,
  );
}

export function dovecotPop(accept: Accept, opts: { capa?: 'full' | 'none' | 'no-sasl' } = {}): Promise<FakeMail> {
  const lines: string[] = [];
  return serve(
    tls.createServer(loopbackServerCert(), (s) => {
      s.on('error', () => {});
      s.write('+OK Dovecot (Debian) ready.\r\n');
      let stage: 'blob' | 'answer' | undefined;
      let authed = false;
      onLines(s, lines, (line) => {
        if (stage === 'blob') {
          const { user, token } = parseXoauth2(line);
          if (accept(user, token)) {
            authed = true;
            stage = undefined;
            s.write('+OK Logged in.\r\n');
          } else {
            stage = 'answer';
            s.write(`+ ${DOVECOT_CHALLENGE}\r\n`);
          }
          return;
        }
        if (stage === 'answer') {
          stage = undefined;
          s.write('-ERR [AUTH] Authentication failed.\r\n');
          return;
        }
        if (/^CAPA$/i.test(line)) {
          if (opts.capa === 'none') s.write('-ERR Unknown command.\r\n');
          else
            s.write(
              `+OK\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nAUTH-RESP-CODE\r\nUSER\r\n${opts.capa === 'no-sasl' ? '' : 'SASL XOAUTH2\r\n'}.\r\n`,
            );
        } else if (/^AUTH XOAUTH2$/i.test(line)) {
          stage = 'blob';
          s.write('+ \r\n');
        } else if (/^STAT$/i.test(line)) s.write(authed ? '+OK 0 0\r\n' : '-ERR Unknown command.\r\n');
        else if (/^QUIT$/i.test(line)) s.end('+OK Logging out.\r\n');
        else s.write('-ERR Unknown command.\r\n');
      });
    }),
    lines,
  );
}

/** Dovecot submission on a STARTTLS port: the AUTH command line is capped at 1 KiB ("500 5.5.2 Line too long"). */
export function dovecotSubmission(accept: Accept): Promise<FakeMail> {
  const lines: string[] = [];
  const cert = loopbackServerCert();
  return serve(
    net.createServer((plain) => {
      plain.write('220 lab.test Dovecot ready.\r\n');
      const dialog = (s: net.Socket, secure: boolean) => {
        let stage: 'blob' | 'answer' | undefined;
        onLines(s, lines, (line) => {
          if (stage === 'blob') {
            const { user, token } = parseXoauth2(line);
            if (accept(user, token)) {
              stage = undefined;
              s.write('235 2.7.0 Logged in.\r\n');
            } else {
              stage = 'answer';
              s.write(`334 ${DOVECOT_CHALLENGE}\r\n`);
            }
            return;
          }
          if (stage === 'answer') {
            stage = undefined;
            s.write('535 5.7.8 Authentication failed.\r\n');
            return;
          }
          if (line.length > 1024) {
            s.write('500 5.5.2 Line too long\r\n');
            return;
          }
          const verb = line.split(' ')[0].toUpperCase();
          if (verb === 'EHLO')
            s.write(
              secure
                ? '250-lab.test\r\n250-8BITMIME\r\n250-AUTH PLAIN XOAUTH2\r\n250-BURL imap\r\n250-ENHANCEDSTATUSCODES\r\n250 PIPELINING\r\n'
                : '250-lab.test\r\n250-8BITMIME\r\n250-STARTTLS\r\n250 PIPELINING\r\n',
            );
          else if (verb === 'STARTTLS' && !secure) {
            s.removeAllListeners('data');
            s.write('220 2.0.0 Begin TLS.\r\n');
            const t = new tls.TLSSocket(s, { isServer: true, ...cert });
            t.on('error', () => {});
            dialog(t, true);
          } else if (verb === 'AUTH') {
            const [, mech, ir] = line.split(' ');
            if (!/^XOAUTH2$/i.test(mech ?? '')) s.write('504 5.5.4 Unsupported authentication mechanism.\r\n');
            else if (ir) stageFromIr(ir);
            else {
              stage = 'blob';
              s.write('334 \r\n');
            }
          } else if (verb === 'QUIT') s.end('221 2.0.0 Bye\r\n');
          else s.write('502 5.5.2 Unknown command\r\n');
        });
        const stageFromIr = (ir: string) => {
          const { user, token } = parseXoauth2(ir);
          if (accept(user, token)) s.write('235 2.7.0 Logged in.\r\n');
          else {
            stage = 'answer';
            s.write(`334 ${DOVECOT_CHALLENGE}\r\n`);
          }
        };
      };
      dialog(plain, false);
    }),
    lines,
  );
}
