// Runs async tasks a few at a time: a busy two-core machine must not turn process starts into timeouts.
export async function inPool<T>(tasks: readonly (() => Promise<T>)[], size: number): Promise<T[]> {
  const out = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, tasks.length) }, worker));
  return out;
}
