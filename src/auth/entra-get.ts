// Raw GETs to Entra ID (discovery, user realm): MSAL hides these answers behind its own errors.
import { NetError } from '../errors.js';
import type { HttpsTransport } from '../net/https.js';
import { parseJsonBody } from '../net/https.js';
import { entraErrorFromBody, isEntraErrorBody } from './entra-error.js';

/** GET a JSON document; Entra's error JSON becomes EntraError, anything else unexpected a NetError. */
export async function getEntraJson(transport: HttpsTransport, url: string, phase: string): Promise<Record<string, unknown>> {
  const res = await transport.request({ method: 'GET', url });
  const body = parseJsonBody(res, phase);
  if (isEntraErrorBody(body)) throw entraErrorFromBody(res.status, body);
  const host = new URL(url).host;
  if (res.status >= 400) {
    throw new NetError('SERVER_ERROR', host, phase, `${host} answered HTTP ${res.status} to the ${phase} request`, { status: res.status });
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new NetError('BAD_RESPONSE', host, phase, `${host} answered the ${phase} request with JSON that is not an object`, { status: res.status });
  }
  return body as Record<string, unknown>;
}

