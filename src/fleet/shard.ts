// --shard K/N: the K-th of N slices of the targets, so a CI matrix can spread a fleet over machines.
import { ConfigError } from '../core/errors.js';

export interface Shard {
  index: number;
  count: number;
}

export function parseShard(raw: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(raw);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new ConfigError(
      '--shard',
      `"${raw}" is not K/N with 1 <= K <= N`,
      'Write e.g. --shard 2/4 for the second of four slices',
    );
  }
  return { index, count };
}

/**
 * Round-robin by position in the targets file: every target lands in exactly one shard, the slices differ in
 * size by at most one, and a target's shard depends only on its position (not on the machine or the run).
 */
export function inShard(position: number, shard: Shard | undefined): boolean {
  return !shard || position % shard.count === shard.index - 1;
}
