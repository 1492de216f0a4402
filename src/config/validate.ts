// Shape checks for configuration values. Each returns a problem sentence, or undefined when the value is fine.
import type { Endpoints, HostPort } from './types.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const DOMAIN = new RegExp(`^(?=.{1,253}$)(?:${LABEL}\\.)+[a-z]{2,63}$`, 'i');
const HOST = new RegExp(`^(?:localhost|(?:${LABEL}\\.)*${LABEL}|\\d{1,3}(?:\\.\\d{1,3}){3}|\\[[0-9a-f:.]+\\])$`, 'i');

/** Longest bad value an error message quotes. */
const SHOWN_CHARS = 120;
// Bidirectional controls can make a terminal show text other than what was typed.
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A bad value as an error message quotes it: in double quotes with control characters and line breaks escaped,
 * so the message stays one line. A longer value is named by its length only: a pasted file must not flood the
 * terminal, and a cut-off secret typed into the wrong field would escape the redactor, which knows whole values.
 */
export function shown(value: string): string {
  if (value.length > SHOWN_CHARS) return `a value of ${value.length} characters`;
  return JSON.stringify(value).replace(BIDI, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

export function tenantProblem(value: string): string | undefined {
  // common/organizations/consumers are real Entra paths; the config check explains why ROPC cannot use them.
  if (isGuid(value) || DOMAIN.test(value) || /^(common|organizations|consumers)$/i.test(value)) return undefined;
  return `${shown(value)} is neither a tenant id (GUID) nor a domain name`;
}

export function guidProblem(value: string): string | undefined {
  return isGuid(value) ? undefined : `${shown(value)} is not a GUID (expected 8-4-4-4-12 hex digits)`;
}

export function upnProblem(value: string): string | undefined {
  const at = value.lastIndexOf('@');
  if (at > 0 && !/\s/.test(value) && DOMAIN.test(value.slice(at + 1)) && !value.slice(0, at).includes('@'))
    return undefined;
  return `${shown(value)} is not a user principal name (expected name@domain)`;
}

/** Parses HOST:PORT (IPv6 in brackets). */
export function parseHostPort(value: string): HostPort | string {
  const [, host, digits] = /^(.+):(\d{1,5})$/.exec(value.trim()) ?? [];
  if (host === undefined || digits === undefined) return `${shown(value)} is not HOST:PORT`;
  const port = Number(digits);
  if (port < 1 || port > 65535) return `port ${port} is outside 1-65535`;
  if (!HOST.test(host)) return `${shown(host)} is not a host name or IP address`;
  return { host: host.replace(/^\[|\]$/g, ''), port };
}

/** HOST:PORT as parseHostPort reads it (an IPv6 address in brackets). */
export function formatHostPort(h: HostPort): string {
  return `${h.host.includes(':') ? `[${h.host}]` : h.host}:${h.port}`;
}

/** The endpoints a run is pointed at, as configuration values (flags, a file's or a targets file's `endpoints`). */
export function endpointValues(e: Pick<Endpoints, 'authorityHost' | 'graphUrl' | 'imap' | 'pop' | 'smtp'>) {
  return {
    authorityHost: e.authorityHost,
    graphUrl: e.graphUrl,
    imap: formatHostPort(e.imap),
    pop: formatHostPort(e.pop),
    smtp: formatHostPort(e.smtp),
  };
}

/** Parses an https URL and returns it without a trailing slash. */
export function parseHttpsUrl(value: string): string | { problem: string } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { problem: `${shown(value)} is not a URL` };
  }
  if (url.protocol !== 'https:') return { problem: `${shown(value)} is not an https URL (TLS is always used)` };
  if (url.search || url.hash) return { problem: `${shown(value)} must not carry a query or fragment` };
  return url.toString().replace(/\/+$/, '');
}

/** Node's timers hold at most this many milliseconds; a longer time limit would silently become 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export function positiveIntProblem(value: unknown): string | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n === 'number' && Number.isInteger(n) && n > 0) {
    return n <= MAX_TIMER_MS
      ? undefined
      : `${n} ms is longer than the longest time limit, ${MAX_TIMER_MS} ms (about 24 days)`;
  }
  return `${shown(String(value))} is not a positive whole number of milliseconds`;
}

/** True when the text holds at least one PEM certificate block. */
export function looksLikePemCertificate(text: string): boolean {
  return /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.test(text);
}
