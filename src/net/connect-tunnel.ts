// An HTTP CONNECT tunnel for the mail sockets (IMAP/POP/SMTP speak no HTTP, so no HTTP agent fits): connect to the
// proxy, ask for host:port, read the answer's head, and hand over the raw socket for the mail dialog and its TLS.
import net from 'node:net';
import tls from 'node:tls';
import { formatHostPort } from '../config/validate.js';
import { NetError } from '../core/errors.js';
import { deadlineError } from './classify.js';
import { Deadline } from './deadline.js';
import { proxyConnectError, proxyStatusError } from './proxy-errors.js';
import { VERIFY_PEER } from './trust.js';

/** The proxy's answer head is a few hundred bytes; more than this is not a proxy speaking HTTP. */
const MAX_HEAD_BYTES = 16 * 1024;

export async function openTunnel(
  proxy: URL,
  host: string,
  port: number,
  ms: number,
  signal?: AbortSignal,
): Promise<net.Socket> {
  // RFC 9110's authority form: an IPv6 address in brackets.
  const target = formatHostPort({ host, port });
  const proxyPort = Number(proxy.port) || (proxy.protocol === 'https:' ? 443 : 80);
  const proxyHost = proxy.hostname.replace(/^\[|\]$/g, '');
  const socket: net.Socket =
    proxy.protocol === 'https:'
      ? tls.connect({
          host: proxyHost,
          port: proxyPort,
          servername: net.isIP(proxyHost) ? undefined : proxyHost,
          ...VERIFY_PEER,
        })
      : net.connect({ host: proxyHost, port: proxyPort });
  const deadline = new Deadline(ms, signal);
  try {
    return await new Promise<net.Socket>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const fail = (err: NetError) => {
        cleanup();
        socket.destroy();
        reject(err);
      };
      const onError = (err: Error) => fail(proxyConnectError(err, proxy, target));
      const onClose = () =>
        fail(proxyConnectError(Object.assign(new Error('closed'), { code: 'ECONNRESET' }), proxy, target));
      const onAbort = () => fail(deadlineError(deadline.timedOut, target, 'proxy', ms));
      // 'readable' and read(), not 'data': the socket must not start flowing before the dialog (or TLS) takes it.
      const onReadable = () => {
        let chunk: Buffer | null;
        while ((chunk = socket.read() as Buffer | null) !== null) if (onData(chunk)) return;
      };
      /** True when the head is complete (or bad): stop reading. */
      const onData = (chunk: Buffer): boolean => {
        chunks.push(chunk);
        size += chunk.length;
        const all = Buffer.concat(chunks);
        const end = all.indexOf('\r\n\r\n');
        if (end < 0) {
          if (size <= MAX_HEAD_BYTES) return false;
          fail(
            new NetError('PROXY_REFUSED', target, 'proxy', `the proxy sent no HTTP answer to CONNECT ${target}`, {
              status: 0,
            }),
          );
          return true;
        }
        const status = /^HTTP\/\d(?:\.\d)? (\d{3}) ?([^\r\n]*)/.exec(all.subarray(0, end).toString('latin1'));
        if (!status) {
          fail(
            new NetError('PROXY_REFUSED', target, 'proxy', `the proxy sent no HTTP answer to CONNECT ${target}`, {
              status: 0,
            }),
          );
          return true;
        }
        const code = Number(status[1]);
        if (code < 200 || code > 299) {
          fail(proxyStatusError(proxy, target, code, status[2] ?? ''));
          return true;
        }
        cleanup();
        // Bytes after the head already belong to the mail server (its greeting): put them back for the dialog.
        const rest = all.subarray(end + 4);
        if (rest.length) socket.unshift(rest);
        resolve(socket);
        return true;
      };
      const cleanup = () => {
        socket.off('readable', onReadable);
        socket.off('error', onError);
        socket.off('close', onClose);
        deadline.signal.removeEventListener('abort', onAbort);
      };
      socket.on('readable', onReadable);
      socket.once('error', onError);
      socket.once('close', onClose);
      deadline.signal.addEventListener('abort', onAbort, { once: true });
      if (deadline.signal.aborted) {
        onAbort();
        return;
      }
      socket.once(proxy.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
        socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n${authorization(proxy)}\r\n`);
      });
    });
  } finally {
    deadline.dispose();
  }
}

function authorization(proxy: URL): string {
  if (!proxy.username && !proxy.password) return '';
  const pair = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return `Proxy-Authorization: Basic ${Buffer.from(pair).toString('base64')}\r\n`;
}
