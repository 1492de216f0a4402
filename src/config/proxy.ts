// Which proxy a connection goes through: the --proxy / config / HTTPS_PROXY / HTTP_PROXY URL unless NO_PROXY
// names the host, and how that URL is shown (credentials never).
import { ConfigError } from '../core/errors.js';

export interface ProxySettings {
  /** http:// or https:// URL of the proxy, credentials included (they are registered as secrets). */
  url: string;
  /** The NO_PROXY list as given (comma or space separated; "*" means no host). */
  noProxy: string;
  /** IMAP/POP/SMTP tunnel through the proxy too (HTTP CONNECT); by default they connect directly. */
  mail: boolean;
  /** Where the URL came from, e.g. "--proxy" or "HTTPS_PROXY". */
  source: string;
}

/** The proxy's URL without its user name and password, safe for any output. */
export function shownProxy(url: string | URL): string {
  const u = new URL(String(url));
  const who = u.username || u.password ? '***@' : '';
  return `${u.protocol}//${who}${u.host}`;
}

/** Checks a proxy URL's shape; the problem named never repeats the URL (it may hold a password). */
export function proxyUrlProblem(raw: string): string | undefined {
  let u: URL;
  try {
    u = new URL(raw.includes('://') ? raw : `http://${raw}`);
  } catch {
    return 'is not a URL';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    return `uses ${u.protocol.replace(/:$/, '')}://, but only http:// and https:// proxies are supported`;
  if (!u.hostname) return 'names no host';
  return undefined;
}

/** A proxy URL as given ("proxy:3128" means http://proxy:3128), validated. */
export function normalizeProxyUrl(raw: string, field: string): string {
  const problem = proxyUrlProblem(raw);
  if (problem) throw new ConfigError(field, problem, 'Give the proxy as http://[user:password@]host:port');
  return new URL(raw.includes('://') ? raw : `http://${raw}`).href.replace(/\/$/, '');
}

/** The proxy for a connection to host:port, or undefined when it goes direct (no proxy, or NO_PROXY names it). */
export function proxyFor(settings: ProxySettings | undefined, host: string, port: number): URL | undefined {
  if (!settings || bypassed(settings.noProxy, host, port)) return undefined;
  return new URL(settings.url);
}

/**
 * NO_PROXY as curl and most tools read it: "*" bypasses all; an entry matches the host itself and its
 * subdomains ("contoso.com" and ".contoso.com" both match mail.contoso.com); "host:port" only that port.
 */
export function bypassed(noProxy: string, host: string, port: number): boolean {
  const name = host
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  for (const raw of noProxy.toLowerCase().split(/[\s,]+/)) {
    if (!raw) continue;
    if (raw === '*') return true;
    // "[::1]:443", "::1" (a bare IPv6 address has no port), "host:443", "host".
    const m = raw.startsWith('[')
      ? /^\[([^\]]*)\](?::(\d+))?$/.exec(raw)
      : raw.split(':').length > 2
        ? [raw, raw, undefined]
        : /^([^:]*)(?::(\d+))?$/.exec(raw);
    if (!m) continue;
    const entry = (m[1] ?? '').replace(/^\*?\.?/, '').replace(/\.$/, '');
    if (m[2] && Number(m[2]) !== port) continue;
    if (entry && (name === entry || name.endsWith(`.${entry}`))) return true;
  }
  return false;
}

/** The proxy-related values of an environment: HTTPS_PROXY, else HTTP_PROXY; NO_PROXY. Lower case wins, as in curl. */
export function proxyFromEnv(env: NodeJS.ProcessEnv): { url?: string; source?: string; noProxy?: string } {
  const pick = (...names: string[]) => {
    for (const n of names) {
      const v = env[n]?.trim();
      if (v) return { v, n };
    }
    return undefined;
  };
  const url = pick('https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY');
  const no = pick('no_proxy', 'NO_PROXY');
  return { url: url?.v, source: url?.n, noProxy: no?.v };
}
