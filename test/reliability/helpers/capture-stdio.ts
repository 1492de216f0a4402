// What a command run in this process writes to stdout and stderr, kept off the test's own output until restore().

export function captureStdio(): { out: { stdout: string; stderr: string }; restore(): void } {
  const out = { stdout: '', stderr: '' };
  const writes = [process.stdout.write, process.stderr.write];
  process.stdout.write = ((chunk: unknown) => {
    out.stdout += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: unknown) => {
    out.stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  return {
    out,
    restore: () => {
      [process.stdout.write, process.stderr.write] = writes;
    },
  };
}
