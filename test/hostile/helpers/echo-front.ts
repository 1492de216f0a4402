// A hostile HTTPS server in front of an emulated service: it forwards every request to the emulator (rewriting the
// emulator's address in answers to its own, so clients keep talking to it) and lets a test replace the answer to
// any request, e.g. a token endpoint quoting the password of the POST before.
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';

export interface FrontRequest {
  method: string;
  path: string;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}
export interface FrontAnswer {
  status: number;
  body: string;
  contentType?: string;
  /** Reset the connection instead of answering. */ reset?: boolean;
}
/** Return an answer to send instead of the emulator's, or undefined to forward. `seen` holds earlier requests. */
export type Answerer = (req: FrontRequest, seen: readonly FrontRequest[]) => FrontAnswer | undefined;

export interface EchoFront {
  origin: string;
  requests: FrontRequest[];
  close(): Promise<void>;
}

export async function startEchoFront(opts: {
  upstream: string;
  caPem: string;
  cert: { key: string; cert: string };
  answer: Answerer;
}): Promise<EchoFront> {
  const requests: FrontRequest[] = [];
  const sockets = new Set<Socket>();
  const upstream = new URL(opts.upstream);
  let origin = '';
  const server = https.createServer({ key: opts.cert.key, cert: opts.cert.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen = requests.slice();
      const request: FrontRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        body: Buffer.concat(chunks).toString('utf8'),
        headers: req.headers,
      };
      requests.push(request);
      const replaced = opts.answer(request, seen);
      // A TLS socket cannot send a TCP reset itself; dropping it mid-request is what the client sees of one.
      if (replaced?.reset) {
        req.socket.destroy();
        return;
      }
      if (replaced) {
        res.writeHead(replaced.status, { 'content-type': replaced.contentType ?? 'application/json; charset=utf-8' });
        res.end(replaced.body);
        return;
      }
      const headers = { ...req.headers, host: upstream.host };
      const out = https.request(
        {
          host: upstream.hostname,
          port: upstream.port,
          path: request.path,
          method: request.method,
          headers,
          ca: opts.caPem,
        },
        (up) => {
          const body: Buffer[] = [];
          up.on('data', (c: Buffer) => body.push(c));
          up.on('end', () => {
            const text = Buffer.concat(body)
              .toString('utf8')
              .split(upstream.origin)
              .join(origin)
              .split(upstream.host)
              .join(new URL(origin).host);
            const h = { ...up.headers };
            delete h['content-length'];
            delete h['transfer-encoding'];
            res.writeHead(up.statusCode ?? 502, h);
            res.end(text);
          });
        },
      );
      out.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      out.end(request.body);
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    requests,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** The form fields of a token POST. */
export function formOf(req: FrontRequest): URLSearchParams {
  return new URLSearchParams(req.body);
}

export const isTokenPost = (req: FrontRequest) => req.method === 'POST' && /\/oauth2\/v2\.0\/token/.test(req.path);
