// Graph JSON batching (POST /v1.0/$batch): up to 20 GET requests in one HTTP request, each answered as if
// it had come alone (its own status, headers and body), in the order given.
import type { IncomingMessage } from 'node:http';
import { GraphFailure } from './graph-odata.js';
import { readBody } from './http-kit.js';

export const BATCH_PATH = '/v1.0/$batch';
export const MAX_BATCH_REQUESTS = 20;

export interface InnerAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Reads and checks the batch body, then answers each request with `answer` (a GET of a /v1.0 path). */
export async function answerBatch(
  req: IncomingMessage,
  answer: (rawUrl: string) => InnerAnswer,
): Promise<{ responses: Array<InnerAnswer & { id: string }> }> {
  let doc: { requests?: unknown };
  try {
    doc = JSON.parse(await readBody(req)) as { requests?: unknown };
  } catch {
    throw new GraphFailure(400, 'BadRequest', 'Invalid batch payload: the body must be JSON.');
  }
  const requests = doc?.requests;
  if (!Array.isArray(requests) || requests.length === 0)
    throw new GraphFailure(400, 'BadRequest', 'Invalid batch payload: "requests" must be a non-empty array.');
  if (requests.length > MAX_BATCH_REQUESTS) {
    throw new GraphFailure(
      400,
      'BadRequest',
      `Invalid batch payload: at most ${MAX_BATCH_REQUESTS} requests per batch.`,
    );
  }
  const ids = new Set<string>();
  const responses = requests.map((r: { id?: unknown; method?: unknown; url?: unknown }) => {
    const id = typeof r?.id === 'string' ? r.id : '';
    if (!id || ids.has(id) || typeof r.url !== 'string' || !r.url.startsWith('/')) {
      throw new GraphFailure(
        400,
        'BadRequest',
        'Invalid batch payload: every request needs a unique "id" and a "url" starting with "/".',
      );
    }
    ids.add(id);
    // The emulated Graph is read-only, inside a batch as well.
    if (String(r.method ?? '').toUpperCase() !== 'GET') {
      return {
        id,
        status: 405,
        headers: { allow: 'GET' },
        body: { error: { code: 'Request_BadRequest', message: 'The emulated Graph is read-only.' } },
      };
    }
    return { id, ...answer(`/v1.0${r.url}`) };
  });
  return { responses };
}
