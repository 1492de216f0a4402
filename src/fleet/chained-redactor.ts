// A redactor for one fleet target: its own secrets and tokens, plus everything its group's redactor knows.
// Targets never share a redactor, so scrubbing stays as fast for the 1,000th target as for the first.
import { Redactor } from '../redact.js';

export class ChainedRedactor extends Redactor {
  constructor(private readonly parent: Redactor) { super(); }

  override scrub(text: string): string {
    return this.parent.scrub(super.scrub(text));
  }
}
