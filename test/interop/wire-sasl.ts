// A deliberately plain SASL XOAUTH2 client over raw sockets: the harness's own reference, independent of
// src/mail, so a harness fault and a client fault cannot hide each other. Transcripts never hold the token.
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';

export type Protocol = 'imap' | 'pop' | 'smtp';

export interface WireResult {
  /** The server's final reply to the authentication exchange. */
  finalLine: string;
  /** Decoded base64 JSON failure continuation, when the server sent one. */
  challenge?: Record<string, unknown>;
  ok: boolean;
  /** Server lines and our own commands, with every credential replaced by a placeholder. */
  transcript: string[];
}

class LineConversation {
  #buffer = '';
  #waiters: Array<(line: string) => void> = [];
  #lines: string[] = [];
  transcript: string[] = [];

  constructor(public socket: Socket | TLSSocket) {
    this.attach(socket);
  }

  attach(socket: Socket | TLSSocket): void {
    this.socket = socket;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.#buffer += chunk;
      let at: number;
      while ((at = this.#buffer.indexOf('\r\n')) >= 0) {
        const line = this.#buffer.slice(0, at);
        this.#buffer = this.#buffer.slice(at + 2);
        this.transcript.push(`S: ${line}`);
        const waiter = this.#waiters.shift();
        if (waiter) waiter(line);
        else this.#lines.push(line);
      }
    });
  }

  detach(): void {
    this.socket.removeAllListeners('data');
  }

  next(timeoutMs = 5000): Promise<string> {
    const queued = this.#lines.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no server line within ${timeoutMs} ms; saw:\n${this.transcript.join('\n')}`)),
        timeoutMs,
      );
      this.#waiters.push((line) => {
        clearTimeout(timer);
        resolve(line);
      });
    });
  }

  /** SMTP replies may span lines ("250-..."); the last has a space after the code. */
  async reply(): Promise<string> {
    for (;;) {
      const line = await this.next();
      if (!/^\d{3}-/.test(line)) return line;
    }
  }

  send(line: string, shown = line): void {
    this.transcript.push(`C: ${shown}`);
    this.socket.write(`${line}\r\n`);
  }
}

/** The XOAUTH2 initial client response: user=<u>^Aauth=Bearer <token>^A^A, base64. */
export function xoauth2Response(user: string, token: string): string {
  return Buffer.from(`user=${user}\x01auth=Bearer ${token}\x01\x01`).toString('base64');
}

function decodeChallenge(b64: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(Buffer.from(b64, 'base64').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function openTls(host: string, port: number, ca: string, socket?: Socket): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    // servername stays unset for an IP address (SNI forbids IPs); the certificate's IP SAN is verified.
    const tls = tlsConnect({ host, port, ca, socket, rejectUnauthorized: true }, () => resolve(tls));
    tls.once('error', reject);
  });
}

export async function wireXoauth2(
  protocol: Protocol,
  host: string,
  port: number,
  caPem: string,
  user: string,
  token: string,
): Promise<WireResult> {
  const initial = xoauth2Response(user, token);
  const HIDDEN = '<xoauth2>';
  let conv: LineConversation;
  if (protocol === 'smtp') {
    const plain = await new Promise<Socket>((resolve, reject) => {
      const s = tcpConnect({ host, port }, () => resolve(s));
      s.once('error', reject);
    });
    conv = new LineConversation(plain);
    await conv.reply();
    conv.send('EHLO interop.client');
    await conv.reply();
    conv.send('STARTTLS');
    const ready = await conv.reply();
    if (!ready.startsWith('220')) throw new Error(`STARTTLS refused: ${ready}`);
    conv.detach();
    conv.attach(await openTls(host, port, caPem, plain));
    conv.send('EHLO interop.client');
    await conv.reply();
  } else {
    conv = new LineConversation(await openTls(host, port, caPem));
    await conv.next();
  }

  try {
    let line: string;
    const tag = 'a1';
    if (protocol === 'imap') {
      conv.send(`${tag} AUTHENTICATE XOAUTH2 ${initial}`, `${tag} AUTHENTICATE XOAUTH2 ${HIDDEN}`);
      line = await conv.next();
    } else {
      // POP3 and submission: two steps, because Dovecot's submission caps the AUTH line at 1 KiB.
      conv.send('AUTH XOAUTH2');
      await conv.reply();
      conv.send(initial, HIDDEN);
      line = await conv.reply();
    }
    let challenge: Record<string, unknown> | undefined;
    const continuation = /^(?:\+|334)(?: (.*))?$/.exec(line);
    if (continuation) {
      challenge = decodeChallenge(continuation[1] ?? '');
      conv.send(''); // RFC 7628-style: the client answers the error challenge with an empty response
      line = protocol === 'imap' ? await conv.next() : await conv.reply();
    }
    const ok =
      protocol === 'imap'
        ? line.startsWith(`${tag} OK`)
        : protocol === 'pop'
          ? line.startsWith('+OK')
          : line.startsWith('235');
    return { finalLine: line, challenge, ok, transcript: conv.transcript };
  } finally {
    conv.send(protocol === 'imap' ? 'a2 LOGOUT' : 'QUIT');
    conv.socket.end();
  }
}
