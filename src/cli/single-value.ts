// yargs turns a repeated option into a list, which nothing downstream expects. For options that take one
// value the last one wins, as in most command-line tools (and as `check` does).
import { normalize } from 'node:path';
import type { Argv } from 'yargs';

const lastOf = (v: unknown): unknown => (Array.isArray(v) ? v[v.length - 1] : v);
// yargs' own `normalize` throws on a repeated option, so paths are normalized here.
const lastPath = (v: unknown): unknown => {
  const p = lastOf(v);
  return typeof p === 'string' && p ? normalize(p) : p;
};

export function lastValueWins<T>(y: Argv<T>, single: string[], paths: string[] = []): Argv<T> {
  const withSingle = single.length ? y.coerce(single, lastOf) : y;
  return (paths.length ? withSingle.coerce(paths, lastPath) : withSingle) as unknown as Argv<T>;
}
