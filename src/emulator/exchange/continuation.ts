// The next line may answer what a session asked (a SASL "+" challenge, IDLE's DONE): it goes to that answer, once.
export class Continuation {
  private pending?: (line: string) => void;

  expect(answer: (line: string) => void): void {
    this.pending = answer;
  }

  /** Hands the line to the awaited answer and forgets it; false when nothing was awaited. */
  take(line: string): boolean {
    const answer = this.pending;
    if (!answer) return false;
    this.pending = undefined;
    answer(line);
    return true;
  }
}
