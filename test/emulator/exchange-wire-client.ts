// A bare line client for asserting exact wire texts: connects (TLS or plain), records every server line.
import net from 'node:net';
import tls from 'node:tls';

export class WireClient {
  readonly lines: string[] = [];
  /** Everything the server sent, as text, including an unterminated last line. */
  received = '';
  /** The socket error, if the connection failed (e.g. ECONNRESET). */
  error?: NodeJS.ErrnoException;
  closed = false;
  private buffer = '';
  private waiters: Array<() => void> = [];

  private constructor(private socket: net.Socket) {
    this.attach(socket);
  }

  static async tls(port: number, ca: string): Promise<WireClient> {
    const socket = tls.connect({ host: '127.0.0.1', port, ca, servername: 'localhost' });
    await new Promise<void>((resolve, reject) => {
      socket.once('secureConnect', resolve);
      socket.once('error', reject);
    });
    return new WireClient(socket);
  }

  static async plain(port: number): Promise<WireClient> {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new WireClient(socket);
  }

  private attach(socket: net.Socket): void {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.received += chunk;
      this.buffer += chunk;
      let end: number;
      while ((end = this.buffer.indexOf('\r\n')) >= 0) {
        this.lines.push(this.buffer.slice(0, end));
        this.buffer = this.buffer.slice(end + 2);
      }
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      this.error = err;
    });
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Upgrade a plain connection in place (SMTP STARTTLS). */
  async startTls(ca: string): Promise<void> {
    this.socket.removeAllListeners('data');
    const secure = tls.connect({ socket: this.socket, ca, servername: 'localhost' });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', resolve);
      secure.once('error', reject);
    });
    this.socket = secure;
    this.attach(secure);
  }

  send(line: string): void {
    this.socket.write(`${line}\r\n`);
  }

  /** Wait until a line (after index `from`) matches; resolves with that line. */
  async waitFor(pattern: RegExp, from = 0, timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.lines.slice(from).find((l) => pattern.test(l));
      if (hit !== undefined) return hit;
      if (this.closed) throw new Error(`closed before ${pattern}; got ${JSON.stringify(this.lines)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timeout waiting for ${pattern}; got ${JSON.stringify(this.lines)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, left);
      });
    }
  }

  /** Send a line and wait for the answer matching `pattern` that follows it. */
  async ask(line: string, pattern: RegExp): Promise<string> {
    const from = this.lines.length;
    this.send(line);
    return this.waitFor(pattern, from);
  }

  async waitClosed(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('connection still open');
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  end(): void {
    this.socket.destroy();
  }
}
