// Small HTTP helpers shared by the emulated Entra ID and Graph servers: bodies, JSON answers, request logging
// without secrets, fault modes, and a listener that closes every socket on stop.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomUUID } from 'node:crypto';

/** Reliability fault modes for an HTTP service. '429' throttles every request (Retry-After: 1). */
export type HttpFault = 'html' | 'truncated-json' | '500' | '503' | '429';

/** The token endpoint's faults: an HTTP fault, or Entra's own answer to a transient outage (AADSTS90033). */
export type EntraFault = HttpFault | 'aadsts90033';

export interface EmulatorFaults {
  /** Applied to the Entra token endpoint. */
  entra?: EntraFault;
  /** Applied to every Graph request. */
  graph?: HttpFault;
}

const MAX_BODY_BYTES = 64 * 1024;

export class BodyTooLargeError extends Error {}

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLargeError(`request body over ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Form fields of an application/x-www-form-urlencoded body; any other content type gives no fields, as Entra reads none. */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const body = await readBody(req);
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  return type === 'application/x-www-form-urlencoded' ? new URLSearchParams(body) : new URLSearchParams();
}

/** Path segments, percent-decoded; a malformed escape stays as written instead of failing the request. */
export function pathSegments(pathname: string): string[] {
  return pathname
    .split('/')
    .filter(Boolean)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store, no-cache',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
  res.end(html);
}

// Query parameters that could carry a credential: never written to the request log.
const SECRET_PARAMS =
  /^(client_secret|password|refresh_token|code|device_code|client_assertion|assertion|access_token|id_token)$/i;

/** Path and query for the request log, with any credential-bearing query value masked. */
export function logTarget(rawUrl: string): string {
  const q = rawUrl.indexOf('?');
  if (q < 0) return rawUrl;
  const params = new URLSearchParams(rawUrl.slice(q + 1));
  let masked = false;
  for (const key of [...params.keys()]) {
    if (SECRET_PARAMS.test(key)) {
      params.set(key, '[REDACTED]');
      masked = true;
    }
  }
  return masked ? `${rawUrl.slice(0, q)}?${params.toString()}` : rawUrl;
}

/** The status a finished response carried, or "aborted" when the connection ended before it was sent. */
export function answeredStatus(res: ServerResponse): string {
  return res.writableFinished ? String(res.statusCode) : 'aborted';
}

/** Answer with a deliberate failure: an HTML page where JSON is expected, JSON cut short, or a 5xx. */
export function sendFault(res: ServerResponse, fault: HttpFault, service: 'entra' | 'graph'): void {
  if (fault === 'html') {
    sendHtml(
      res,
      200,
      '<!DOCTYPE html><html><head><title>Sign in</title></head><body><p>Proxy authentication required.</p></body></html>',
    );
    return;
  }
  if (fault === 'truncated-json') {
    const full = JSON.stringify(
      service === 'entra'
        ? { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: 'truncated' }
        : { '@odata.context': 'truncated', value: [{ id: randomUUID() }] },
    );
    const cut = full.slice(0, Math.floor(full.length / 2));
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(cut) });
    res.end(cut);
    return;
  }
  const status = Number(fault);
  const headers: Record<string, string> = status === 503 || status === 429 ? { 'retry-after': '1' } : {};
  if (service === 'entra') {
    sendJson(
      res,
      status,
      {
        error: status === 500 ? 'server_error' : 'temporarily_unavailable',
        error_description:
          status === 500
            ? 'An internal server error occurred.'
            : status === 429
              ? 'Too many requests. Retry after the time given in the Retry-After header.'
              : 'The service is temporarily unavailable.',
      },
      headers,
    );
  } else {
    sendJson(
      res,
      status,
      {
        error: {
          code: status === 503 ? 'serviceNotAvailable' : status === 429 ? 'TooManyRequests' : 'InternalServerError',
          message:
            status === 503
              ? 'Service unavailable.'
              : status === 429
                ? 'Too many requests.'
                : 'An internal server error occurred.',
          innerError: {
            date: new Date().toISOString().slice(0, 19),
            'request-id': randomUUID(),
            'client-request-id': randomUUID(),
          },
        },
      },
      headers,
    );
  }
}

export interface HttpsListener {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/** Listen with TLS on host:port (0 = ephemeral); close() ends keep-alive sockets too, so nothing stays open. */
export async function listenHttps(
  tls: { key: string; cert: string },
  host: string,
  port: number,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<HttpsListener> {
  const server = createServer({ key: tls.key, cert: tls.cert }, handler);
  server.keepAliveTimeout = 5000;
  // Every TCP connection, including ones still in (or never finishing) the TLS handshake, which
  // closeAllConnections() does not know about: stop() must not wait for a silent client.
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      }),
  };
}
