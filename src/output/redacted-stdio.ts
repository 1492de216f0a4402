// Routes every write to stdout and stderr through the redactor, for the whole process.
import type { Redactor } from '../core/redact.js';

type Write = NodeJS.WriteStream['write'];

/** Wraps `write` of each stream; returns a function that restores the originals. */
export function redactStreams(
  redactor: Redactor,
  streams: NodeJS.WriteStream[] = [process.stdout, process.stderr],
): () => void {
  const originals = streams.map((stream) => {
    const original = stream.write;
    stream.write = function redactedWrite(this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
      const encoding = typeof rest[0] === 'string' ? (rest[0] as BufferEncoding) : 'utf8';
      const text =
        typeof chunk === 'string'
          ? Buffer.from(chunk, encoding).toString('utf8')
          : Buffer.from(chunk as Uint8Array).toString('utf8');
      const callback = rest.find((r) => typeof r === 'function');
      return (original as (c: string, e: BufferEncoding, cb?: unknown) => boolean).call(
        this,
        redactor.scrub(text),
        'utf8',
        callback,
      );
    } as Write;
    return () => {
      stream.write = original;
    };
  });
  return () => originals.forEach((restore) => restore());
}
