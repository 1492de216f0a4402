// The HTTPS transport a fleet group shares: one keep-alive agent for all its targets, Entra metadata
// (OIDC discovery) fetched once, and a throttle gate so one 429 holds back the whole group, not one request.
import type { HttpsRequest, HttpsResponse, HttpsTransport } from '../net/https.js';
import { retryAfterSeconds } from '../graph/middleware.js';
import { eitherSignal, sleep } from '../net/deadline.js';

/** Longest pause a Retry-After may impose on the group; a longer one is left to the request's own deadline. */
const MAX_PAUSE_MS = 60_000;
const DISCOVERY = /\/v2\.0\/\.well-known\/openid-configuration$/;

export interface SharedTransportStats {
  /** Requests really sent (memoized discovery GETs not counted twice). */
  sent: number;
  /** Responses that asked the group to slow down (429, or 503 with Retry-After). */
  throttled: number;
}

export interface SharedTransport extends HttpsTransport {
  readonly stats: SharedTransportStats;
}

/** `signal` is the run's end: a throttle pause ends with it. */
export function sharedTransport(inner: HttpsTransport, signal?: AbortSignal): SharedTransport {
  const stats: SharedTransportStats = { sent: 0, throttled: 0 };
  const discovery = new Map<string, Promise<HttpsResponse>>();
  let pausedUntil = 0;

  async function send(req: HttpsRequest): Promise<HttpsResponse> {
    const wait = pausedUntil - Date.now();
    if (wait > 0) await sleep(wait, eitherSignal(req.signal, signal));
    stats.sent++;
    // A reset on a reused keep-alive connection is the inner transport's to handle (a GET once more, a POST never).
    const res = await inner.request(req);
    const retryAfter = retryAfterSeconds(res.headers['retry-after'] ?? null);
    if (res.status === 429 || (res.status === 503 && retryAfter !== undefined)) {
      stats.throttled++;
      pausedUntil = Math.max(pausedUntil, Date.now() + Math.min(MAX_PAUSE_MS, (retryAfter ?? 1) * 1000));
    }
    return res;
  }

  return {
    stats,
    request(req) {
      if (req.method !== 'GET' || !DISCOVERY.test(new URL(req.url).pathname)) return send(req);
      // A tenant's discovery document is the same for every mailbox; a failed fetch is not kept.
      let p = discovery.get(req.url);
      if (!p) {
        p = send(req);
        discovery.set(req.url, p);
        p.then(
          (r) => {
            if (r.status !== 200) discovery.delete(req.url);
          },
          () => discovery.delete(req.url),
        );
      }
      return p;
    },
  };
}
