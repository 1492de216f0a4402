// The Graph client's middleware after authentication: 429 handling bounded by the request's deadline,
// then the run's HTTPS transport (so --ca-file applies) in place of global fetch.
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { NetError } from '../core/errors.js';
import { classifyNetError, deadlineError } from '../net/classify.js';
import { Deadline, sleep } from '../net/deadline.js';
import type { HttpsTransport } from '../net/https.js';
import { parseJsonBody } from '../net/https.js';

/**
 * Per-request state handed down the chain as a middleware option. Errors thrown inside the chain are
 * wrapped by the Graph client, so the original NetError is parked here for the reader to rethrow.
 */
export class RequestSlot {
  netError?: NetError;
  retryAfterSeen?: number;
  sends = 0;
  constructor(readonly deadline: Deadline) {}
}

function slotOf(context: Context): RequestSlot {
  const slot = context.middlewareControl?.getMiddlewareOptions(RequestSlot) as RequestSlot | undefined;
  if (!slot) throw new Error('graph request without a RequestSlot');
  return slot;
}

abstract class Link implements Middleware {
  protected next?: Middleware;
  setNext(next: Middleware): void {
    this.next = next;
  }
  abstract execute(context: Context): Promise<void>;
}

/** Seconds from a Retry-After header (delta-seconds or HTTP date); undefined when absent or unreadable. */
export function retryAfterSeconds(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

export class ThrottleMiddleware extends Link {
  constructor(private readonly maxRetries = 2) {
    super();
  }

  async execute(context: Context): Promise<void> {
    const slot = slotOf(context);
    const host = hostOf(context);
    for (let retry = 0; ; retry++) {
      await this.next!.execute(context);
      if (context.response?.status !== 429) return;
      const seen = retryAfterSeconds(context.response.headers.get('retry-after'));
      slot.retryAfterSeen = seen;
      const waitMs = (seen ?? 2 ** retry) * 1000; // no header: exponential back-off, as Graph asks
      if (retry >= this.maxRetries || waitMs > slot.deadline.remaining()) {
        slot.netError = new NetError(
          'THROTTLED',
          host,
          'graph',
          `Microsoft Graph is throttling requests (HTTP 429${seen !== undefined ? `, Retry-After ${seen} s` : ''}) after ${retry} retr${retry === 1 ? 'y' : 'ies'}`,
          seen !== undefined ? { retryAfterSeconds: seen, retries: retry } : { retries: retry },
        );
        throw slot.netError;
      }
      try {
        await sleep(waitMs, slot.deadline.signal);
      } catch {
        slot.netError = deadlineError(slot.deadline.timedOut, host, 'graph', slot.deadline.ms);
        throw slot.netError;
      }
    }
  }
}

export class TransportMiddleware extends Link {
  constructor(private readonly transport: HttpsTransport) {
    super();
  }

  async execute(context: Context): Promise<void> {
    const slot = slotOf(context);
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const headers: Record<string, string> = {};
    new Headers(context.options?.headers as HeadersInit | undefined).forEach((v, k) => {
      headers[k] = v;
    });
    slot.sends++;
    try {
      const res = await this.transport.request({
        method: 'GET',
        url,
        headers,
        signal: slot.deadline.signal,
        timeoutMs: Math.max(1, slot.deadline.remaining()),
      });
      // Graph answers JSON, errors included; an HTML page from a proxy is reported as such.
      if (res.status !== 204) parseJsonBody(res, 'graph');
      // The SDK parses only what is labelled JSON; a body that is JSON under another label is still read as JSON.
      const labelled =
        res.status === 204 || /json/i.test(res.headers['content-type'] ?? '')
          ? res.headers
          : { ...res.headers, 'content-type': 'application/json' };
      context.response = new Response(res.status === 204 ? null : res.body, { status: res.status, headers: labelled });
    } catch (err) {
      const host = new URL(url).host;
      slot.netError = slot.deadline.signal.aborted
        ? deadlineError(slot.deadline.timedOut, host, 'graph', slot.deadline.ms)
        : classifyNetError(err, host, 'graph');
      throw slot.netError;
    }
  }
}

function hostOf(context: Context): string {
  const url = typeof context.request === 'string' ? context.request : context.request.url;
  return new URL(url).host;
}
