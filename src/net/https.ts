// The one HTTPS transport of the run: MSAL's network client, the Graph client's last middleware and the
// raw discovery GETs all send through it, so the --ca-file CAs, timeouts and size limit apply everywhere.
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import { NetError } from '../errors.js';
import type { Logger } from '../log.js';
import { classifyNetError, deadlineError } from './classify.js';
import { Deadline, stepBudgetMs } from './deadline.js';
import { secureContextFor } from './trust.js';

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
}

export interface HttpsTransportOptions {
  caPem?: string;
  /** Time limit of the checks the requests serve; each request ends a little earlier (stepBudgetMs). */
  timeoutMs: number;
  maxBodyBytes?: number;
  log?: Logger;
}

export function createHttpsTransport(opts: HttpsTransportOptions): HttpsTransport {
  // Keep-alive sockets are unref'd by the agent while idle, so they never hold the process open.
  const agent = new https.Agent({ keepAlive: true, maxSockets: 16, secureContext: secureContextFor(opts.caPem) });
  const maxBody = opts.maxBodyBytes ?? MAX_BODY_BYTES;
  const budgetMs = stepBudgetMs(opts.timeoutMs);
  return {
    async request(req) {
      const started = Date.now();
      const res = await send(agent, req, req.timeoutMs ?? budgetMs, maxBody);
      opts.log?.debug('https', { method: req.method, url: stripQuery(req.url), status: res.status, ms: Date.now() - started });
      return res;
    },
  };
}

function send(agent: https.Agent, req: HttpsRequest, timeoutMs: number, maxBody: number): Promise<HttpsResponse> {
  const url = new URL(req.url);
  if (url.protocol !== 'https:') {
    return Promise.reject(new NetError('BAD_RESPONSE', url.host, 'connect', `refusing to send to ${url.origin}: only https:// is allowed`));
  }
  const host = url.host;
  const deadline = new Deadline(timeoutMs, req.signal);
  let phase = 'connect';
  return new Promise<HttpsResponse>((resolve, reject) => {
    let settled = false;
    const finish = (err: unknown, value?: HttpsResponse) => {
      if (settled) return;
      settled = true;
      deadline.dispose();
      if (err) { request.destroy(); reject(classifyNetError(err, host, phase)); } else resolve(value!);
    };
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
    const request = https.request(url, { method: req.method, agent, headers }, (res) => readBody(res));
    request.on('socket', (socket) => {
      if ((socket as { connecting?: boolean }).connecting) socket.once('secureConnect', () => { phase = 'response'; });
      else phase = 'response';
    });
    request.on('error', (err) => finish(err));
    deadline.signal.addEventListener('abort', () => finish(deadlineError(deadline.timedOut, host, phase, timeoutMs)), { once: true });

    function readBody(res: IncomingMessage) {
      phase = 'response';
      const declared = Number(res.headers['content-length']);
      if (declared > maxBody) { finish(tooLarge(host, maxBody)); return; }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBody) { finish(tooLarge(host, maxBody)); return; }
        chunks.push(chunk);
      });
      res.on('error', (err) => finish(err));
      res.on('aborted', () => finish(Object.assign(new Error('response aborted'), { code: 'ECONNRESET' })));
      res.on('end', () => finish(undefined, {
        status: res.statusCode ?? 0,
        headers: flatHeaders(res),
        body: Buffer.concat(chunks).toString('utf8'),
        url: req.url,
      }));
    }
    if (deadline.signal.aborted) { finish(deadlineError(deadline.timedOut, host, phase, timeoutMs)); return; }
    request.end(req.body);
  });
}

function tooLarge(host: string, max: number): NetError {
  return new NetError('RESPONSE_TOO_LARGE', host, 'response', `${host} sent a response larger than ${max} bytes`, { maxBytes: max });
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
    throw new NetError('BAD_RESPONSE', host, phase, `${host} answered HTTP ${res.status} with ${kind}`,
      { status: res.status, contentType: type });
  }
}
