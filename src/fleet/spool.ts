// Finished targets go to a JSON-lines file as they finish, so memory does not grow with the fleet; the
// reporters read them back one at a time, in targets-file order.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FleetTargetEntry } from './fleet-report.js';

export class TargetSpool {
  readonly #dir = mkdtempSync(join(tmpdir(), 'm365-doctor-fleet-'));
  readonly #fd = openSync(join(this.#dir, 'targets.jsonl'), 'w+', 0o600);
  /** [file position, byte length] of each entry, by target index. */
  readonly #where = new Map<number, [number, number]>();
  #size = 0;
  // A run that ends by process.exit (a second Ctrl-C) still removes the folder; only SIGKILL can leave it.
  readonly #onExit = () => rmSync(this.#dir, { recursive: true, force: true });

  constructor() {
    process.once('exit', this.#onExit);
  }

  add(entry: FleetTargetEntry): void {
    const bytes = Buffer.from(`${JSON.stringify(entry)}\n`);
    writeSync(this.#fd, bytes, 0, bytes.length, this.#size);
    this.#where.set(entry.index, [this.#size, bytes.length]);
    this.#size += bytes.length;
  }

  get count(): number {
    return this.#where.size;
  }

  /** Entries in targets-file order, read from disk one by one. */
  *entries(): Generator<FleetTargetEntry> {
    for (const index of [...this.#where.keys()].sort((a, b) => a - b)) {
      const [pos, len] = this.#where.get(index)!;
      const buf = Buffer.alloc(len);
      readSync(this.#fd, buf, 0, len, pos);
      yield JSON.parse(buf.toString('utf8')) as FleetTargetEntry;
    }
  }

  dispose(): void {
    process.off('exit', this.#onExit);
    closeSync(this.#fd);
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
