// Raw GETs to Entra ID (discovery, user realm): MSAL hides these answers behind its own errors.
import { NetError } from '../core/errors.js';
import type { HttpsTransport } from '../net/https.js';
import { parseJsonBody } from '../net/https.js';
import { entraErrorFromBody, isEntraErrorBody } from './entra-error.js';

/** GET a JSON document; Entra's error JSON becomes EntraError, anything else unexpected a NetError. */
export async function getEntraJson(
  transport: HttpsTransport,
  url: string,
  phase: string,
): Promise<Record<string, unknown>> {
  const res = await transport.request({ method: 'GET', url });
  const body = parseJsonBody(res, phase);
  if (isEntraErrorBody(body)) throw entraErrorFromBody(res.status, body);
  const host = new URL(url).host;
  if (res.status >= 400) {
    throw new NetError('SERVER_ERROR', host, phase, `${host} answered HTTP ${res.status} to the ${phase} request`, {
      status: res.status,
    });
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new NetError(
      'BAD_RESPONSE',
      host,
      phase,
      `${host} answered the ${phase} request with JSON that is not an object`,
      { status: res.status },
    );
  }
  return body as Record<string, unknown>;
}

/** An OpenID configuration names its issuer and token endpoint; JSON without them (a proxy, another service) proves nothing. */
export function requireOpenIdConfiguration(doc: Record<string, unknown>, url: string): Record<string, unknown> {
  const missing = ['issuer', 'token_endpoint'].filter((k) => typeof doc[k] !== 'string' || !doc[k]);
  if (!missing.length) return doc;
  const host = new URL(url).host;
  throw new NetError(
    'BAD_RESPONSE',
    host,
    'discovery',
    `${host} answered the discovery request without ${missing.join(' and ')}: it is not an Entra ID OpenID configuration (check --authority-host and any proxy in between)`,
  );
}

/**
 * A user realm answer names the account type (NameSpaceType, or account_type in the 1.0 shape). JSON without it (a
 * proxy, an imitation, another service) cannot tell how the user signs in: that is "could not tell", not "unknown user".
 */
export function requireUserRealm(doc: Record<string, unknown>, url: string): Record<string, unknown> {
  if (['NameSpaceType', 'account_type'].some((k) => typeof doc[k] === 'string' && doc[k])) return doc;
  const host = new URL(url).host;
  throw new NetError(
    'BAD_RESPONSE',
    host,
    'userrealm',
    `${host} answered the user realm request without NameSpaceType: it does not say how the user signs in`,
  );
}
