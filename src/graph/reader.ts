// GraphReader over the Microsoft Graph client: one client per identity (app-only or directory reader),
// identical GETs memoized for the run, collections followed through @odata.nextLink.
import type * as GraphSdk from '@microsoft/microsoft-graph-client';
import type { GraphIdentity, GraphReadOptions, GraphReader, TokenBroker } from '../clients/types.js';
import type { ResolvedConfig } from '../config/types.js';
import { GraphError, NetError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { deadlineError } from '../net/classify.js';
import { Deadline, stepBudgetMs } from '../net/deadline.js';
import type { HttpsTransport } from '../net/https.js';
import { RequestSlot, ThrottleMiddleware, TransportMiddleware } from './middleware.js';

const MAX_PAGES = 200;

export interface GraphReaderDeps {
  tokens: TokenBroker;
  transport: HttpsTransport;
  log: Logger;
  maxRetries?: number;
  /** The run's end (Ctrl-C): shared reads, which no single caller may cancel, end with it. */
  signal?: AbortSignal;
}

export interface GraphReaderWithStats extends GraphReader {
  /** HTTP requests actually sent (retries included); memoized reads do not add to it. */
  readonly sent: number;
}

export function createGraphReader(config: ResolvedConfig, deps: GraphReaderDeps): GraphReaderWithStats {
  const graphUrl = config.endpoints.graphUrl.replace(/\/+$/, '');
  const origin = new URL(graphUrl).origin;
  const memo = new Map<string, Promise<unknown>>();
  const clients = new Map<GraphIdentity, Promise<GraphSdk.Client>>();
  let sdk: Promise<typeof GraphSdk> | undefined;
  let sent = 0;

  const token = (as: GraphIdentity) => (as === 'admin' ? deps.tokens.admin() : deps.tokens.appOnly('graph'));

  function client(as: GraphIdentity): Promise<GraphSdk.Client> {
    let c = clients.get(as);
    if (!c) {
      c = (sdk ??= import('@microsoft/microsoft-graph-client')).then((m) =>
        m.Client.initWithMiddleware({
          baseUrl: graphUrl,
          defaultVersion: 'v1.0',
          // The auth handler attaches the token only to hosts it knows; a sovereign, proxied or local Graph must be listed.
          customHosts: new Set([new URL(graphUrl).hostname]),
          middleware: [
            new m.AuthenticationHandler({ getAccessToken: async () => (await token(as)).accessToken }),
            new ThrottleMiddleware(deps.maxRetries ?? 2),
            new TransportMiddleware(deps.transport),
          ],
        }),
      );
      clients.set(as, c);
    }
    return c;
  }

  /** One GET (path relative to /v1.0, or an absolute nextLink on the Graph origin). */
  async function fetchOnce(path: string, as: GraphIdentity): Promise<unknown> {
    // Token errors (EntraError, NoDirectoryReaderError) surface here as themselves, not wrapped by the SDK.
    await token(as);
    const c = await client(as);
    const slot = new RequestSlot(new Deadline(stepBudgetMs(config.timeoutMs), deps.signal));
    const started = Date.now();
    try {
      return await c.api(path).middlewareOptions([slot]).get();
    } catch (err) {
      if (slot.netError) throw slot.netError;
      throw toGraphError(err, path);
    } finally {
      sent += slot.sends;
      slot.deadline.dispose();
      deps.log.debug('graph', { path: path.split('?')[0], as, sends: slot.sends, ms: Date.now() - started });
    }
  }

  function shared<T>(path: string, as: GraphIdentity): Promise<T> {
    const key = `${as} ${path}`;
    let p = memo.get(key);
    if (!p) {
      p = fetchOnce(path, as);
      memo.set(key, p);
      p.catch(() => {});
    }
    return p as Promise<T>;
  }

  async function list<T>(path: string, as: GraphIdentity, opts?: GraphReadOptions): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined = path;
    for (let page = 0; next; page++) {
      if (page >= MAX_PAGES)
        throw new NetError(
          'BAD_RESPONSE',
          new URL(origin).host,
          'graph',
          `Graph paging of ${path.split('?')[0]} did not end after ${MAX_PAGES} pages`,
        );
      const body: { value?: unknown; '@odata.nextLink'?: unknown } = await withSignal(
        shared(next, as),
        opts?.signal,
        origin,
      );
      if (!Array.isArray(body?.value))
        throw new NetError(
          'BAD_RESPONSE',
          new URL(origin).host,
          'graph',
          `Graph answered ${path.split('?')[0]} without a "value" collection`,
        );
      items.push(...(body.value as T[]));
      const link = body['@odata.nextLink'];
      next = typeof link === 'string' ? checkedNextLink(link, origin) : undefined;
    }
    return items;
  }

  return {
    get: <T>(path: string, as: GraphIdentity, opts?: GraphReadOptions) =>
      withSignal(shared<T>(requirePath(path), as), opts?.signal, origin),
    list: <T>(path: string, as: GraphIdentity, opts?: GraphReadOptions) => list<T>(requirePath(path), as, opts),
    get sent() {
      return sent;
    },
  };
}

function requirePath(path: string): string {
  if (!path.startsWith('/')) throw new TypeError(`Graph path must start with "/": ${path}`);
  return path;
}

/** A nextLink is followed only on the Graph origin we were given: the token must never go elsewhere. */
function checkedNextLink(link: string, origin: string): string {
  let u: URL;
  // Graph sends absolute links; a relative one is read against the Graph origin, and the origin rule still applies.
  try {
    u = new URL(link, origin);
  } catch {
    throw new NetError(
      'BAD_RESPONSE',
      new URL(origin).host,
      'graph',
      'Graph sent an @odata.nextLink that is not a URL',
    );
  }
  if (u.origin !== origin)
    throw new NetError(
      'BAD_RESPONSE',
      new URL(origin).host,
      'graph',
      `Graph sent an @odata.nextLink to another host (${u.host}); not followed`,
    );
  return /^https?:\/\//i.test(link) ? link : u.href;
}

/** The caller stops waiting when its signal fires; the shared request continues for other callers. */
export function withSignal<T>(p: Promise<T>, signal: AbortSignal | undefined, origin: string): Promise<T> {
  if (!signal) return p;
  const host = new URL(origin).host;
  if (signal.aborted) return Promise.reject(deadlineError(false, host, 'graph', 0));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(deadlineError(false, host, 'graph', 0));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** The SDK's error (status, code, message, request id) as the project's GraphError. */
function toGraphError(err: unknown, path: string): Error {
  const e = err as { statusCode?: unknown; code?: unknown; message?: unknown; requestId?: unknown; body?: unknown };
  if (typeof e?.statusCode === 'number' && e.statusCode > 0) {
    return new GraphError({
      status: e.statusCode,
      code: typeof e.code === 'string' && e.code ? e.code : 'UnknownError',
      message: typeof e.message === 'string' ? e.message : '',
      requestId: typeof e.requestId === 'string' ? e.requestId : undefined,
      path: path.split('?')[0]!, // split() always yields at least one element
    });
  }
  return err instanceof Error ? err : new Error(String(err));
}
