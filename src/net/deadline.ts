// One time budget for a network step: ends at a fixed instant (not reset by incoming bytes) or when
// the caller's AbortSignal fires, whichever comes first.

export class Deadline {
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout;
  readonly #endsAt: number;
  readonly #outer?: AbortSignal;
  readonly #onOuterAbort = () => this.#controller.abort(new Error('aborted'));
  #timedOut = false;

  constructor(
    readonly ms: number,
    outer?: AbortSignal,
  ) {
    this.#endsAt = Date.now() + ms;
    this.#timer = setTimeout(() => {
      this.#timedOut = true;
      this.#controller.abort(new Error('timeout'));
    }, ms);
    this.#timer.unref();
    this.#outer = outer;
    if (outer?.aborted) this.#controller.abort(new Error('aborted'));
    else outer?.addEventListener('abort', this.#onOuterAbort, { once: true });
  }

  /** Aborts when the budget is spent or the caller aborted. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }
  get timedOut(): boolean {
    return this.#timedOut;
  }
  /** True when the caller (not the clock) ended the step. */
  get aborted(): boolean {
    return this.#controller.signal.aborted && !this.#timedOut;
  }
  remaining(): number {
    return Math.max(0, this.#endsAt - Date.now());
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#outer?.removeEventListener('abort', this.#onOuterAbort);
  }
}

/**
 * Time a network step may take inside a check limited to `checkMs`: a little less, so that the step's own
 * error (naming the host and the phase) is what the check reports, not the check's generic "timed out".
 */
export function stepBudgetMs(checkMs: number): number {
  return Math.max(1, checkMs - Math.min(500, Math.ceil(checkMs / 10)));
}

/** A signal that fires when either fires (undefined when neither is given). */
export function eitherSignal(a: AbortSignal | undefined, b: AbortSignal | undefined): AbortSignal | undefined {
  return a && b ? AbortSignal.any([a, b]) : (a ?? b);
}

/** Wait `ms`, ending early (rejecting) when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new Error('aborted'));
      return;
    }
    const done = () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
