// Whether a mail connection keeps the process alive. A pre-connected session may never be used (its check is
// skipped, the run ends), so it must not hold the process open, until a login or a goodbye waits for it.
import type net from 'node:net';

export class ProcessHold {
  readonly #sockets: net.Socket[] = [];

  constructor(private held: boolean) {}

  /** Every socket of the connection (the plain one too, under a STARTTLS upgrade) follows the hold. */
  track(socket: net.Socket): void {
    this.#sockets.push(socket);
    this.#apply(socket);
  }

  set(held: boolean): void {
    this.held = held;
    for (const s of this.#sockets) this.#apply(s);
  }

  #apply(socket: net.Socket): void {
    if (this.held) socket.ref();
    else socket.unref();
  }
}
