// Every file m365-doctor writes (--report files, init's config) is written to a temporary file beside it and
// renamed over it: a full disk or a kill mid-write leaves the old file or none, never half a report; and the
// rename replaces a symlink at the path instead of following it to overwrite the file it points to.
// Hand-written, not write-file-atomic: that package resolves symlinks and writes to their target, and it
// takes a whole string or buffer, while fleet reports are rendered in chunks.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { OutputWriteError } from '../core/errors.js';

export interface AtomicWriteOptions {
  /** The flag named in the error line, e.g. "--report". */
  flag: string;
  /** Refuse (EEXIST) when something, even a dangling symlink, is at the path already. */
  noClobber?: boolean;
}

/** Writes what `render` puts, then renames it into place; a failure throws OutputWriteError and leaves no file. */
export function writeFileAtomic(
  path: string,
  render: (put: (chunk: string) => void) => void,
  options: AtomicWriteOptions,
): void {
  const fail = (err: unknown) =>
    new OutputWriteError(options.flag, path, (err as NodeJS.ErrnoException).code ?? 'error');
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    // mkdir says EEXIST when a file stands where a folder of the path should be.
    const code = (err as NodeJS.ErrnoException).code;
    throw new OutputWriteError(options.flag, path, code === 'EEXIST' ? 'ENOTDIR' : (code ?? 'error'));
  }
  try {
    // 'wx': a file or symlink already at the temporary name is never followed or reused.
    fd = openSync(temp, 'wx', 0o666);
  } catch (err) {
    throw fail(err);
  }
  let written = false;
  try {
    let ioError: unknown;
    render((chunk) => {
      if (ioError) return;
      try {
        const bytes = Buffer.from(chunk, 'utf8');
        for (let at = 0; at < bytes.length;) at += writeSync(fd!, bytes, at, bytes.length - at);
      } catch (err) {
        ioError = err;
      }
    });
    try {
      if (ioError) throw ioError;
      fsyncSync(fd);
      closeSync(fd);
      fd = undefined;
      if (options.noClobber) placeNew(temp, path);
      else renameSync(temp, path);
      written = true;
    } catch (err) {
      throw fail(err);
    }
  } finally {
    if (fd !== undefined)
      try {
        closeSync(fd);
      } catch {
        /* already failing */
      }
    if (!written)
      try {
        unlinkSync(temp);
      } catch {
        /* already gone */
      }
  }
}

/** Links the finished file in only if nothing is at the path (atomic where hard links work). */
function placeNew(temp: string, path: string): void {
  try {
    linkSync(temp, path);
    unlinkSync(temp);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw err;
    // A file system without hard links: check, then rename (a narrow race, acceptable for `init`).
    if (pathOccupied(path)) throw Object.assign(new Error('exists'), { code: 'EEXIST' });
    renameSync(temp, path);
  }
}

/** Something is at the path, even a dangling symlink (existsSync would follow it and say no). */
export function pathOccupied(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Runs each write; every OutputWriteError is collected and thrown at the end, as one error with a line each. */
export function writeAll<T>(items: readonly T[], write: (item: T) => void): void {
  const failed: OutputWriteError[] = [];
  for (const item of items) {
    try {
      write(item);
    } catch (err) {
      if (!(err instanceof OutputWriteError)) throw err;
      failed.push(err);
    }
  }
  const [first] = failed;
  if (first) throw new OutputWriteError(first.flag, first.path, first.code, failed.slice(1));
}
