// The errors of a connection through a proxy: they name the proxy (never its credentials), so a blocked
// tunnel never looks like a DNS or TLS problem of the Microsoft host.
import type tls from 'node:tls';
import { NetError } from '../core/errors.js';
import { classifyNetError } from './classify.js';
import { shownProxy } from '../config/proxy.js';

/** The proxy answered CONNECT with something other than 2xx. */
export function proxyStatusError(proxy: URL, target: string, status: number, reason: string): NetError {
  const via = shownProxy(proxy);
  const said = `HTTP ${status}${reason ? ` ${reason}` : ''}`;
  if (status === 407) {
    const fix = proxy.username
      ? 'the user name and password in the proxy URL were refused: check them'
      : 'put them in the proxy URL: --proxy http://user:password@host:port (the password is kept out of every output)';
    return new NetError(
      'PROXY_AUTH_REQUIRED',
      target,
      'proxy',
      `the proxy ${via} asks for credentials to reach ${target} (${said}); ${fix}`,
      { status, proxy: via },
    );
  }
  const why =
    status >= 500
      ? `the proxy could not reach ${target} itself (its DNS or its route to the host)`
      : `the proxy's policy does not allow a tunnel to ${target} (ask for the host and port to be allowed, or set NO_PROXY if it is reachable directly)`;
  return new NetError(
    'PROXY_REFUSED',
    target,
    'proxy',
    `the proxy ${via} refused the tunnel to ${target} (${said}): ${why}`,
    { status, proxy: via },
  );
}

/** A failure before the proxy answered CONNECT: the proxy itself is the host that failed. */
export function proxyConnectError(err: unknown, proxy: URL, target: string): NetError {
  const via = shownProxy(proxy);
  const inner = classifyNetError(err, proxy.host, 'proxy');
  if (inner.code === 'TIMEOUT' || inner.code === 'ABORTED') return inner;
  return new NetError(
    'PROXY_UNREACHABLE',
    target,
    'proxy',
    `the proxy ${via} could not be used to reach ${target}: ${inner.message} [${inner.code}]`,
    { proxy: via, ...(inner.detail.cause ? { cause: inner.detail.cause } : {}) },
  );
}

/**
 * TLS to the target failed through a tunnel: an untrusted certificate there is most often the proxy inspecting TLS
 * with its own CA, so the message names who issued the certificate and the fix (--ca-file).
 */
export function tunnelTlsError(
  err: unknown,
  proxy: URL | undefined,
  target: string,
  phase: string,
  issuer?: string,
): NetError {
  const e = classifyNetError(err, target, phase);
  if (e.code !== 'TLS_UNTRUSTED') return e;
  const by = issuer ? ` issued by "${issuer}"` : '';
  const cause = String(e.detail.cause ?? 'untrusted');
  const message = proxy
    ? `the TLS certificate presented for ${target} through the proxy ${shownProxy(proxy)}${by} is not trusted (${cause}): a TLS-inspecting proxy re-signs connections with its own CA; pass that CA (PEM) with --ca-file`
    : `the TLS certificate of ${target} is not trusted (${cause}${issuer ? `; issued by "${issuer}"` : ''}); if a proxy or private CA signs it, pass that CA with --ca-file`;
  return new NetError('TLS_UNTRUSTED', target, phase, message, {
    ...e.detail,
    ...(issuer ? { issuer } : {}),
    ...(proxy ? { proxy: shownProxy(proxy) } : {}),
  });
}

/**
 * Remembers who issued the peer's certificate. Node checks the chain after its internal "secure" event and destroys
 * the socket (certificate gone) before the error is seen; a listener placed first reads it, verification unchanged.
 */
export function watchIssuer(socket: tls.TLSSocket, onIssuer: (issuer: string) => void): void {
  socket.prependOnceListener('secure', () => {
    try {
      const cert = socket.getPeerCertificate();
      const i = cert?.issuer as Record<string, string | string[]> | undefined;
      if (!i) return;
      const parts = ['CN', 'O', 'OU', 'C'].flatMap((k) => (i[k] ? [`${k}=${[i[k]].flat().join('+')}`] : []));
      if (parts.length) onIssuer(parts.join(', '));
    } catch {
      /* no certificate to read: the message just names no issuer */
    }
  });
}
