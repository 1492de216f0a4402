// Ctrl-C (SIGINT) and SIGTERM end a run early: the run's signal aborts every request, mail session and poll
import { setMaxListeners } from 'node:events';
// in flight, the report of what was found is written, and the exit status is the shell's 128 + signal number.
// A second signal exits at once.

export const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
export type StopSignal = keyof typeof SIGNAL_EXIT_CODES;

/** After the run's own cleanup, how long anything still open (a plugin's timer, a library's poll) may hold the process. */
export const EXIT_GRACE_MS = 1000;

export class Interrupt {
  readonly #controller = new AbortController();
  #received?: StopSignal;
  readonly #handlers = Object.fromEntries(
    (Object.keys(SIGNAL_EXIT_CODES) as StopSignal[]).map((name) => [name, () => this.#on(name)]),
  ) as Record<StopSignal, () => void>;

  constructor(private readonly onFirst?: (name: StopSignal) => void) {
    // Every running check, request and mail session listens on the run's signal: dozens, not a leak.
    setMaxListeners(500, this.#controller.signal);
    for (const [name, handler] of Object.entries(this.#handlers)) process.on(name, handler);
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }
  get received(): StopSignal | undefined {
    return this.#received;
  }
  /** 130 after SIGINT, 143 after SIGTERM, undefined when no signal came. */
  get exitCode(): number | undefined {
    return this.#received && SIGNAL_EXIT_CODES[this.#received];
  }

  #on(name: StopSignal): void {
    if (this.#received) {
      process.exit(SIGNAL_EXIT_CODES[this.#received]);
    }
    this.#received = name;
    this.onFirst?.(name);
    this.#controller.abort(new Error(`${name} received`));
  }

  /**
   * Stops listening. After a signal, anything the run could not end itself gets EXIT_GRACE_MS before the process
   * leaves anyway; `onHeld` names what still held it (the timer is unref'd: it never holds the process itself).
   */
  dispose(onHeld?: (resources: string[]) => void): void {
    for (const [name, handler] of Object.entries(this.#handlers)) process.off(name, handler);
    const code = this.exitCode;
    if (code === undefined) return;
    setTimeout(() => {
      onHeld?.(process.getActiveResourcesInfo().filter((r) => r !== 'Timeout'));
      process.exit(code);
    }, EXIT_GRACE_MS).unref();
  }
}
