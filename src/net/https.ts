// The one HTTPS transport of the run: MSAL's network client, the Graph client's last middleware and the
// raw discovery GETs all send through it, so the --ca-file CAs, timeouts and size limit apply everywhere.
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import tls from 'node:tls';
import { NetError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { deadlineError } from './classify.js';
import { IDLE_SOCKET_MS, IdleBoundAgent } from './agent.js';
import { Deadline, eitherSignal, stepBudgetMs } from './deadline.js';
import { secureContextFor, VERIFY_PEER } from './trust.js';
import { proxyFor, shownProxy, type ProxySettings } from '../config/proxy.js';
import { proxyConnectError, proxyStatusError, tunnelTlsError, watchIssuer } from './proxy-errors.js';
import { tunnelAgents } from './tunnel-agents.js';

export const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface HttpsRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Overrides the transport's time budget for this request (connect + headers + body). */
  timeoutMs?: number;
}

export interface HttpsResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
  url: string;
}

export interface HttpsTransport {
  request(req: HttpsRequest): Promise<HttpsResponse>;
  /** Opens up to `sockets` connections to the URL's host ahead of the requests (TCP and TLS off the critical path). */
  warm?(url: string, sockets: number): void;
}

export interface HttpsTransportOptions {
  caPem?: string;
  /** Time limit of the checks the requests serve; each request ends a little earlier (stepBudgetMs). */
  timeoutMs: number;
  maxBodyBytes?: number;
  log?: Logger;
  /** Longest idle time of a pooled connection before it is dropped; IDLE_SOCKET_MS unless a test needs less. */
  idleSocketMs?: number;
  /** Send through this HTTP(S) proxy (HTTP CONNECT tunnels), except to the hosts its NO_PROXY names. */
  proxy?: ProxySettings;
  /** The run's end (Ctrl-C): every request in flight, shared ones included, is cut, and pooled sockets go. */
  signal?: AbortSignal;
}

/** One try of a request: its response, or its error and whether it died on a reused socket before any answer. */
type Attempt = { res: HttpsResponse } | { error: NetError; unansweredReuse: boolean };

/** A request going through a proxy: the proxy, and the CA set its tunnelled TLS uses (the agent's own is the proxy's). */
interface Tunnel {
  proxy: URL;
  secureContext?: tls.SecureContext;
}

export function createHttpsTransport(opts: HttpsTransportOptions): HttpsTransport {
  const secureContext = secureContextFor(opts.caPem);
  // Keep-alive sockets are unref'd by the agent while idle, so they never hold the process open.
  const pool = new IdleBoundAgent({ idleMs: opts.idleSocketMs ?? IDLE_SOCKET_MS, maxSockets: 16, secureContext });
  // The one repeat of a GET goes out on a connection of its own, not on another pooled one.
  const fresh = new https.Agent({ keepAlive: false, secureContext, ...VERIFY_PEER });
  const maxBody = opts.maxBodyBytes ?? MAX_BODY_BYTES;
  const budgetMs = stepBudgetMs(opts.timeoutMs);
  opts.signal?.addEventListener(
    'abort',
    () => {
      pool.destroy();
      fresh.destroy();
    },
    { once: true },
  );
  return {
    warm(target, sockets) {
      const url = new URL(target);
      // Through a proxy the tunnel agent connects; a direct warm socket would bypass the proxy.
      if (url.protocol === 'https:' && !proxyFor(opts.proxy, url.hostname, Number(url.port) || 443))
        pool.warm(url, sockets);
    },
    async request(req) {
      const url = new URL(req.url);
      if (url.protocol !== 'https:') {
        throw new NetError(
          'BAD_RESPONSE',
          url.host,
          'connect',
          `refusing to send to ${url.origin}: only https:// is allowed`,
        );
      }
      const started = Date.now();
      const deadline = new Deadline(req.timeoutMs ?? budgetMs, eitherSignal(req.signal, opts.signal));
      const via = proxyFor(opts.proxy, url.hostname, Number(url.port) || 443);
      try {
        const agents = via ? await tunnelAgents(via, opts.idleSocketMs ?? IDLE_SOCKET_MS) : { pool, fresh };
        const tunnel: Tunnel | undefined = via && { proxy: via, secureContext };
        if (!via) pool.dropStaleSockets();
        let attempt = await send(agents.pool, url, req, deadline, maxBody, tunnel);
        // A server closing a kept-alive connection just as the request went out resets it before answering.
        // A GET (discovery, userrealm, Graph reads) is idempotent: it is sent once more, on a new connection.
        // A POST never is: the token POST is the run's one ROPC sign-in attempt, and a repeated password
        // attempt can count toward smart lockout.
        if ('error' in attempt && attempt.unansweredReuse && req.method === 'GET' && !deadline.signal.aborted) {
          opts.log?.debug('https resend', { method: req.method, url: stripQuery(req.url), reason: attempt.error.code });
          attempt = await send(agents.fresh, url, req, deadline, maxBody, tunnel);
        }
        if ('error' in attempt) throw attempt.error;
        opts.log?.debug('https', {
          method: req.method,
          url: stripQuery(req.url),
          status: attempt.res.status,
          ms: Date.now() - started,
          ...(via ? { proxy: shownProxy(via) } : {}),
        });
        return attempt.res;
      } finally {
        deadline.dispose();
      }
    },
  };
}

function send(
  agent: https.Agent,
  url: URL,
  req: HttpsRequest,
  deadline: Deadline,
  maxBody: number,
  tunnel?: Tunnel,
): Promise<Attempt> {
  const host = url.host;
  let phase = tunnel ? 'proxy' : 'connect';
  let reused = false;
  let bytesBefore = 0;
  // Through a proxy, a failure before its CONNECT answer is the proxy's, not the Microsoft host's.
  let tunnelUp = !tunnel;
  let issuer: string | undefined;
  return new Promise<Attempt>((resolve) => {
    let settled = false;
    const onDeadline = () => finish(deadlineError(deadline.timedOut, host, phase, deadline.ms));
    const finish = (err: unknown, value?: HttpsResponse) => {
      if (settled) return;
      settled = true;
      deadline.signal.removeEventListener('abort', onDeadline);
      if (!err) {
        resolve({ res: value! });
        return;
      }
      request.destroy();
      const code = (err as { code?: unknown }).code;
      // bytesRead counts decrypted bytes and survives the socket's destruction: unchanged means no answer began.
      const unanswered = !(request.socket && request.socket.bytesRead > bytesBefore);
      const error =
        err instanceof NetError
          ? err
          : !tunnelUp
            ? proxyConnectError(err, tunnel!.proxy, host)
            : tunnelTlsError(err, tunnel?.proxy, host, phase, issuer);
      resolve({ error, unansweredReuse: reused && unanswered && (code === 'ECONNRESET' || code === 'EPIPE') });
    };
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
    // Through a tunnel the agent's own TLS options are the proxy's; the request's reach the Microsoft host.
    const tlsOptions = tunnel?.secureContext ? { secureContext: tunnel.secureContext } : {};
    const request = https.request(url, { method: req.method, agent, headers, ...tlsOptions, ...VERIFY_PEER }, (res) =>
      readBody(res),
    );
    request.on('proxyConnect', (answer: { statusCode: number; statusText?: string }) => {
      if (answer.statusCode >= 200 && answer.statusCode < 300) {
        tunnelUp = true;
        phase = 'connect';
        return;
      }
      finish(proxyStatusError(tunnel!.proxy, host, answer.statusCode, answer.statusText ?? ''));
    });
    request.on('socket', (socket) => {
      bytesBefore = socket.bytesRead;
      // A socket already connected was used before: taken from the pool, or handed over by a finished request.
      // A tunnelled socket is connected (to the proxy) before its TLS starts: only the agent knows it is reused.
      reused = request.reusedSocket || (!tunnel && !(socket as { connecting?: boolean }).connecting);
      if (reused) {
        phase = 'response';
        tunnelUp = true;
        return;
      }
      if (socket instanceof tls.TLSSocket)
        watchIssuer(socket, (i) => {
          issuer = i;
        });
      socket.once('secureConnect', () => {
        phase = 'response';
      });
    });
    request.on('error', (err) => finish(err));
    deadline.signal.addEventListener('abort', onDeadline, { once: true });

    function readBody(res: IncomingMessage) {
      phase = 'response';
      const declared = Number(res.headers['content-length']);
      if (declared > maxBody) {
        finish(tooLarge(host, maxBody));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBody) {
          finish(tooLarge(host, maxBody));
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', (err) => finish(err));
      res.on('aborted', () => finish(Object.assign(new Error('response aborted'), { code: 'ECONNRESET' })));
      res.on('end', () =>
        finish(undefined, {
          status: res.statusCode ?? 0,
          headers: flatHeaders(res),
          body: Buffer.concat(chunks).toString('utf8'),
          url: req.url,
        }),
      );
    }
    if (deadline.signal.aborted) {
      onDeadline();
      return;
    }
    request.end(req.body);
  });
}

function tooLarge(host: string, max: number): NetError {
  return new NetError('RESPONSE_TOO_LARGE', host, 'response', `${host} sent a response larger than ${max} bytes`, {
    maxBytes: max,
  });
}

function flatHeaders(res: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** Query strings can carry user names or filters; logs keep the path only. */
export function stripQuery(url: string): string {
  const i = url.indexOf('?');
  return i < 0 ? url : url.slice(0, i);
}

/** Parse a body that must be JSON; anything else (HTML error page, truncated JSON) is BAD_RESPONSE. */
export function parseJsonBody(res: HttpsResponse, phase = 'response'): unknown {
  const host = new URL(res.url).host;
  const type = res.headers['content-type'] ?? 'no content type';
  try {
    return JSON.parse(res.body);
  } catch {
    const kind = /json/i.test(type) ? 'invalid or truncated JSON' : `${type.split(';')[0]} instead of JSON`;
    throw new NetError('BAD_RESPONSE', host, phase, `${host} answered HTTP ${res.status} with ${kind}`, {
      status: res.status,
      contentType: type,
    });
  }
}
