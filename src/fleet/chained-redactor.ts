// A redactor that masks its own values, then hands the text to its parent (which masks its own and the token
// shapes). A fleet target's redactor knows its own tokens; its group's knows the app's tokens; the fleet's knows every
// target's password and secrets, registered once before any request, because a server may echo one target's
// password into another target's answer.
import { Redactor } from '../core/redact.js';

export class ChainedRedactor extends Redactor {
  constructor(private readonly parent: Redactor) {
    super();
  }

  override scrub(text: string): string {
    if (!text) return text;
    return this.parent.scrub(this.scrubKnown(text));
  }
}
