// A check's time limit that can be paused, so time spent waiting on another check's result is not charged to it.

export class TimeLimit {
  private remaining: number;
  private since = 0;
  private timer: NodeJS.Timeout | undefined;
  private pauses = 0;
  private done = false;

  constructor(
    ms: number,
    private readonly onExpire: () => void,
  ) {
    this.remaining = ms;
    this.start();
  }

  /** Stops the clock until the promise settles; overlapping waits stop it once. */
  async excluding<T>(wait: Promise<T>): Promise<T> {
    this.pause();
    try {
      return await wait;
    } finally {
      this.resume();
    }
  }

  /** Stops the clock for good (the check has finished). */
  clear(): void {
    this.done = true;
    clearTimeout(this.timer);
  }

  private pause(): void {
    if (this.pauses++ > 0 || this.done) return;
    clearTimeout(this.timer);
    this.remaining -= performance.now() - this.since;
  }

  private resume(): void {
    if (--this.pauses > 0 || this.done) return;
    this.start();
  }

  private start(): void {
    this.since = performance.now();
    this.timer = setTimeout(
      () => {
        this.done = true;
        this.onExpire();
      },
      Math.max(0, this.remaining),
    );
  }
}
