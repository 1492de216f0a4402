// `m365-doctor ... | head`: when the reader of stdout goes away, stop quietly as other command-line tools do,
// instead of dying with an unhandled EPIPE stack trace.
export function endQuietlyOnClosedPipe(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(process.exitCode ?? 0);
  });
}
