// The one deliberate way around the process-wide redaction of stdout: `m365-doctor token --raw` must hand
// the token itself to the next program in a pipe. Nothing else may call this.

/**
 * Writes with the stream's own write method, not the redacting wrapper that redactStreams() set on the
 * instance (the wrapper is an own property; the stream's class method sits on its prototype).
 */
export function writeUnredacted(stream: NodeJS.WriteStream, text: string): Promise<void> {
  const write = (Object.getPrototypeOf(stream) as NodeJS.WriteStream).write;
  return new Promise((resolve, reject) => {
    write.call(stream, text, 'utf8', (err?: Error | null) => (err ? reject(err) : resolve()));
  });
}
