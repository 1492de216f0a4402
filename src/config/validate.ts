// Shape checks for configuration values. Each returns a problem sentence, or undefined when the value is fine.
import type { HostPort } from './types.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const DOMAIN = new RegExp(`^(?=.{1,253}$)(?:${LABEL}\\.)+[a-z]{2,63}$`, 'i');
const HOST = new RegExp(`^(?:localhost|(?:${LABEL}\\.)*${LABEL}|\\d{1,3}(?:\\.\\d{1,3}){3}|\\[[0-9a-f:.]+\\])$`, 'i');

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

export function tenantProblem(value: string): string | undefined {
  // common/organizations/consumers are real Entra paths; the config check explains why ROPC cannot use them.
  if (isGuid(value) || DOMAIN.test(value) || /^(common|organizations|consumers)$/i.test(value)) return undefined;
  return `"${value}" is neither a tenant id (GUID) nor a domain name`;
}

export function guidProblem(value: string): string | undefined {
  return isGuid(value) ? undefined : `"${value}" is not a GUID (expected 8-4-4-4-12 hex digits)`;
}

export function upnProblem(value: string): string | undefined {
  const at = value.lastIndexOf('@');
  if (at > 0 && !/\s/.test(value) && DOMAIN.test(value.slice(at + 1)) && !value.slice(0, at).includes('@')) return undefined;
  return `"${value}" is not a user principal name (expected name@domain)`;
}

/** Parses HOST:PORT (IPv6 in brackets). */
export function parseHostPort(value: string): HostPort | string {
  const m = /^(.+):(\d{1,5})$/.exec(value.trim());
  if (!m) return `"${value}" is not HOST:PORT`;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return `port ${port} is outside 1-65535`;
  if (!HOST.test(m[1])) return `"${m[1]}" is not a host name or IP address`;
  return { host: m[1].replace(/^\[|\]$/g, ''), port };
}

/** Parses an https URL and returns it without a trailing slash. */
export function parseHttpsUrl(value: string): string | { problem: string } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { problem: `"${value}" is not a URL` };
  }
  if (url.protocol !== 'https:') return { problem: `"${value}" is not an https URL (TLS is always used)` };
  if (url.search || url.hash) return { problem: `"${value}" must not carry a query or fragment` };
  return url.toString().replace(/\/+$/, '');
}

export function positiveIntProblem(value: unknown): string | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n === 'number' && Number.isInteger(n) && n > 0) return undefined;
  return `"${String(value)}" is not a positive whole number of milliseconds`;
}

/** True when the text holds at least one PEM certificate block. */
export function looksLikePemCertificate(text: string): boolean {
  return /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.test(text);
}
