// Splits a client byte stream into CRLF-terminated command lines, with an IMAP literal mode and a hard length cap.

/** Exchange answers far longer lines than a ~2 KiB token with an error; 16 KiB leaves room for any real command. */
export const MAX_LINE_BYTES = 16 * 1024;

export class LineReader {
  private buffered: Buffer = Buffer.alloc(0);
  private literal?: { bytes: number; done: (data: Buffer) => void };
  private stopped = false;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly onOverflow: () => void,
    private readonly maxLine = MAX_LINE_BYTES,
  ) {}

  /** The next `bytes` bytes are literal data, handed over whole (IMAP `{n}` syntax). */
  expectLiteral(bytes: number, done: (data: Buffer) => void): void {
    this.literal = { bytes, done };
  }

  stop(): void {
    this.stopped = true;
    this.buffered = Buffer.alloc(0);
  }

  push(chunk: Buffer): void {
    if (this.stopped) return;
    this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
    while (!this.stopped) {
      if (this.literal) {
        if (this.buffered.length < this.literal.bytes) return;
        const { bytes, done } = this.literal;
        this.literal = undefined;
        const data = this.buffered.subarray(0, bytes);
        this.buffered = this.buffered.subarray(bytes);
        done(data);
        continue;
      }
      const end = this.buffered.indexOf(0x0a);
      if (end < 0) {
        if (this.buffered.length > this.maxLine) this.overflow();
        return;
      }
      if (end > this.maxLine) return this.overflow();
      const line = this.buffered.subarray(0, end).toString('utf8').replace(/\r$/, '');
      this.buffered = this.buffered.subarray(end + 1);
      this.onLine(line);
    }
  }

  private overflow(): void {
    this.stop();
    this.onOverflow();
  }
}
