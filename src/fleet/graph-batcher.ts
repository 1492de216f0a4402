// Graph JSON batching for a fleet group: reads that name one mailbox (its user object) arrive from many
// targets at once; they are sent up to 20 per POST /v1.0/$batch instead of one request each. An item the
// batch could not serve (throttled, server error) or a failed batch falls back to a plain read, which
// honours Retry-After as a single run does.
import type { GraphIdentity, TokenInfo } from '../clients/types.js';
import { GraphError } from '../core/errors.js';
import type { HttpsTransport } from '../net/https.js';
import { parseJsonBody } from '../net/https.js';

export const MAX_BATCH = 20;
/** How long the first queued read waits for company before its batch goes out. */
const GATHER_MS = 20;

interface Item {
  path: string;
  fallback(): Promise<unknown>;
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

export interface GraphBatcherDeps {
  graphUrl: string;
  transport: HttpsTransport;
  token(as: GraphIdentity): Promise<TokenInfo>;
  timeoutMs: number;
}

export interface GraphBatcher {
  /** `fallback` is a plain read of the same path, used when the batch cannot serve this item. */
  get(path: string, as: GraphIdentity, fallback: () => Promise<unknown>): Promise<unknown>;
  /** $batch POSTs sent. */
  readonly batches: number;
  /** Items answered from a batch (not by fallback). */
  readonly served: number;
}

export function createGraphBatcher(deps: GraphBatcherDeps): GraphBatcher {
  const root = deps.graphUrl.replace(/\/+$/, '');
  const queues = new Map<GraphIdentity, Item[]>();
  const timers = new Map<GraphIdentity, NodeJS.Timeout>();
  let batches = 0;
  let served = 0;

  function flush(as: GraphIdentity): void {
    clearTimeout(timers.get(as));
    timers.delete(as);
    const items = queues.get(as) ?? [];
    queues.delete(as);
    if (items.length) void send(as, items);
  }

  async function send(as: GraphIdentity, items: Item[]): Promise<void> {
    let answers: Array<{ id?: string; status?: number; body?: unknown }>;
    try {
      const token = await deps.token(as);
      batches++;
      const res = await deps.transport.request({
        method: 'POST',
        url: `${root}/v1.0/$batch`,
        timeoutMs: deps.timeoutMs,
        headers: { authorization: `Bearer ${token.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ requests: items.map((it, i) => ({ id: String(i + 1), method: 'GET', url: it.path })) }),
      });
      const doc = res.status === 200 ? (parseJsonBody(res, 'graph') as { responses?: unknown }) : undefined;
      if (!Array.isArray(doc?.responses)) throw new Error(`batch answered HTTP ${res.status}`);
      answers = doc.responses as typeof answers;
    } catch {
      // The batch as a whole failed: every item is read on its own, with the reader's own error handling.
      for (const it of items) it.fallback().then(it.resolve, it.reject);
      return;
    }
    items.forEach((it, i) => {
      const a = answers.find((x) => x?.id === String(i + 1));
      const status = typeof a?.status === 'number' ? a.status : 0;
      if (status >= 200 && status < 300) {
        served++;
        it.resolve(a!.body);
        return;
      }
      if (!a || status === 429 || status >= 500) {
        it.fallback().then(it.resolve, it.reject);
        return;
      }
      const err = (
        a.body as { error?: { code?: unknown; message?: unknown; innerError?: Record<string, unknown> } } | undefined
      )?.error;
      it.reject(
        new GraphError({
          status,
          code: typeof err?.code === 'string' ? err.code : 'UnknownError',
          message: typeof err?.message === 'string' ? err.message : '',
          requestId:
            typeof err?.innerError?.['request-id'] === 'string' ? (err.innerError['request-id'] as string) : undefined,
          path: it.path.split('?')[0]!, // split() always yields at least one element
        }),
      );
    });
  }

  return {
    get(path, as, fallback) {
      return new Promise((resolve, reject) => {
        const queue = queues.get(as) ?? [];
        queues.set(as, queue);
        queue.push({ path, fallback, resolve, reject });
        if (queue.length >= MAX_BATCH) flush(as);
        else if (!timers.has(as))
          timers.set(
            as,
            setTimeout(() => flush(as), GATHER_MS),
          );
      });
    },
    get batches() {
      return batches;
    },
    get served() {
      return served;
    },
  };
}
