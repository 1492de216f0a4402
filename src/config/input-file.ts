// The one reader of every file a user points m365-doctor at (--config, --targets, --scenario-file, --ca-file,
// saved reports, {file} secrets). Only a regular file under its kind's size limit is read: /dev/zero, a FIFO
// or a folder is refused at once, instead of blocking or growing until memory runs out.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { ConfigError } from '../core/errors.js';

const KiB = 1024;
const MiB = 1024 * KiB;

/** Size limits, documented in the README ("Input files"). Real files are a small fraction of them. */
export const INPUT_LIMITS = {
  config: 1 * MiB,
  targets: 64 * MiB,
  scenario: 16 * MiB,
  report: 20 * MiB,
  fleetReport: 256 * MiB,
  caFile: 4 * MiB,
  secretFile: 64 * KiB,
} as const;

export type InputKind = keyof typeof INPUT_LIMITS;

export interface InputFile {
  text: string;
  stats: Stats;
}

// O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever before fstat could refuse it.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * Reads a whole regular file as UTF-8. Every refusal is a ConfigError whose field is `flag`
 * (e.g. "--config", "targets[2].password in fleet.json") and whose problem says why.
 */
export function readInputFile(path: string, kind: InputKind, flag: string, fix: string): InputFile {
  const limit = INPUT_LIMITS[kind];
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (err) {
    throw new ConfigError(flag, `cannot read ${path} (${reason(err)})`, fix);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new ConfigError(flag, `${path} is ${fileType(stats)}, not a regular file`, fix);
    if (stats.size > limit)
      throw new ConfigError(flag, `${path} is larger than the ${size(limit)} limit for this file`, fix);
    // Read at most one byte past the limit: a file that grows while it is read is still cut off there.
    let buf = Buffer.allocUnsafe(Math.min(stats.size, limit) + 1);
    let length = 0;
    for (;;) {
      if (length === buf.length) {
        const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, limit + 1));
        buf.copy(bigger, 0, 0, length);
        buf = bigger;
      }
      const n = readSync(fd, buf, length, buf.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > limit)
        throw new ConfigError(flag, `${path} is larger than the ${size(limit)} limit for this file`, fix);
    }
    return { text: buf.subarray(0, length).toString('utf8'), stats };
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(flag, `cannot read ${path} (${reason(err)})`, fix);
  } finally {
    closeSync(fd);
  }
}

function reason(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? 'error';
}

function fileType(s: Stats): string {
  if (s.isDirectory()) return 'a folder';
  if (s.isFIFO()) return 'a pipe (FIFO)';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSocket()) return 'a socket';
  return 'not a file';
}

function size(bytes: number): string {
  return bytes >= MiB ? `${bytes / MiB} MiB` : `${bytes / KiB} KiB`;
}
