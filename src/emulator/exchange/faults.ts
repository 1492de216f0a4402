// Fault modes shared by the three mail servers: what to send instead of a proper greeting or first reply.
import type net from 'node:net';
import type { ExchangeFaults } from './deps.js';

/** Bytes no mail client can parse as a greeting. */
export const GARBAGE_GREETING = '\x00\x9f\xfe\x7fNOT-A-MAIL-SERVER\x07\r\n';

/** An oversized reply line: far beyond the 16 KiB any sane client accepts. */
export const OVERSIZED_PADDING = 'x'.repeat(64 * 1024);

export type GreetingPlan =
  { kind: 'send'; text: string; thenReset: boolean } | { kind: 'truncate'; text: string } | { kind: 'silent' };

/** What to put on the wire where the greeting line (without CRLF) belongs. */
export function planGreeting(greeting: string, faults: ExchangeFaults | undefined): GreetingPlan {
  switch (faults?.greeting) {
    case 'none':
      return { kind: 'silent' };
    case 'garbage':
      return { kind: 'send', text: GARBAGE_GREETING, thenReset: faults.resetAfterGreeting === true };
    // Half a greeting and no line end, then the connection closes.
    case 'truncated':
      return { kind: 'truncate', text: greeting.slice(0, Math.ceil(greeting.length / 2)) };
    default:
      return { kind: 'send', text: `${greeting}\r\n`, thenReset: faults?.resetAfterGreeting === true };
  }
}

/**
 * Send a TCP RST shortly after the greeting was flushed. The pause lets the client read the greeting first;
 * Node also turns a reset issued inside a write callback into an orderly FIN, which is not the fault wanted.
 */
export function resetSoon(raw: net.Socket, afterMs = 20): void {
  setTimeout(() => {
    if (!raw.destroyed) raw.resetAndDestroy();
  }, afterMs).unref();
}
