// TimeLimit: a check's time limit that stops while the check waits on another check.
import { describe, expect, it } from 'vitest';
import { TimeLimit } from '../../src/runner/time-limit.js';
import { sleep } from '../helpers/engine-fixtures.js';

/** Starts a limit and records when (ms after start) it expired. */
function watch(ms: number) {
  const started = performance.now();
  const fired: number[] = [];
  const limit = new TimeLimit(ms, () => fired.push(performance.now() - started));
  return { limit, fired };
}

describe('TimeLimit', () => {
  it('expires after its time when nothing pauses it', async () => {
    const { fired } = watch(50);
    await sleep(100);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toBeGreaterThanOrEqual(45);
  });

  it('does not count the time spent in excluding() and resumes with what was left', async () => {
    const { limit, fired } = watch(100);
    await sleep(40);
    await limit.excluding(sleep(150));
    expect(fired).toEqual([]); // 190 ms of wall time, 40 of its own
    await sleep(100);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toBeGreaterThanOrEqual(240); // 40 + 150 paused + the 60 left
  });

  it('overlapping waits pause it once; it resumes when the last one ends', async () => {
    const { limit, fired } = watch(60);
    const short = limit.excluding(sleep(50));
    const long = limit.excluding(sleep(150));
    await short;
    await sleep(40);
    expect(fired).toEqual([]); // still paused by the long wait
    await long;
    await sleep(100);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toBeGreaterThanOrEqual(200);
  });

  it('passes the waited value or rejection through, and clear() stops it for good', async () => {
    const { limit, fired } = watch(50);
    await expect(limit.excluding(Promise.resolve(7))).resolves.toBe(7);
    await expect(limit.excluding(Promise.reject(new Error('no')))).rejects.toThrow('no');
    limit.clear();
    await limit.excluding(sleep(10));
    await sleep(80);
    expect(fired).toEqual([]);
  });
});
