// MSAL's network client: sends through the run's HTTPS transport and remembers what MSAL would blur -
// the token endpoint's raw error answer and the transport failure - so errors can be reported exactly.
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { NetError } from '../core/errors.js';
import { retryAfterSeconds } from '../graph/middleware.js';
import type { HttpsTransport } from '../net/https.js';
import { parseJsonBody } from '../net/https.js';
import type { Redactor } from '../core/redact.js';
import { isEntraErrorBody } from './entra-error.js';

const TOKEN_FIELDS = ['access_token', 'refresh_token', 'id_token'] as const;

export class MsalNetwork implements INetworkModule {
  /** Last transport failure (MSAL turns it into a generic network_error). */
  netError?: NetError;
  /** Last Entra error answer, exactly as the server sent it. */
  errorAnswer?: { status: number; body: Record<string, unknown> };
  /** Last successful token response body (to read the granted scope string as sent). */
  tokenBody?: Record<string, unknown>;
  /** Count of POSTs to a token endpoint (tests and the one-attempt rule). */
  tokenPosts = 0;

  constructor(
    private readonly transport: HttpsTransport,
    private readonly redactor: Redactor,
  ) {}

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    return this.#send<T>('GET', url, options, timeout);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    if (/\/token(\?|$)/.test(url)) this.tokenPosts++;
    return this.#send<T>('POST', url, options);
  }

  async #send<T>(
    method: 'GET' | 'POST',
    url: string,
    options?: NetworkRequestOptions,
    timeoutMs?: number,
  ): Promise<NetworkResponse<T>> {
    try {
      const res = await this.transport.request({
        method,
        url,
        headers: options?.headers,
        body: options?.body,
        timeoutMs: timeoutMs || undefined,
      });
      if (res.status === 429) throw throttled(url, method, res.headers['retry-after']);
      const body = parseJsonBody(res, method === 'POST' ? 'token' : 'metadata');
      this.#registerSecrets(body);
      if (res.status >= 400 && isEntraErrorBody(body)) this.errorAnswer = { status: res.status, body };
      else if (res.status >= 400) {
        const host = new URL(url).host;
        throw new NetError(
          'SERVER_ERROR',
          host,
          'token',
          `${host} answered HTTP ${res.status} without an OAuth error`,
          { status: res.status },
        );
      } else if (method === 'POST') this.tokenBody = body as Record<string, unknown>;
      return { status: res.status, headers: res.headers, body: body as T };
    } catch (err) {
      if (err instanceof NetError) this.netError = err;
      throw err;
    }
  }

  /** Tokens are registered the moment they arrive, before MSAL or anyone else can log them. */
  #registerSecrets(body: unknown): void {
    if (!body || typeof body !== 'object') return;
    for (const f of TOKEN_FIELDS) {
      const v = (body as Record<string, unknown>)[f];
      if (typeof v === 'string') this.redactor.add(v);
    }
  }
}

/**
 * Entra throttles: said plainly, whatever the body. Not retried here: one sign-in attempt per run is the rule
 * (a repeated password grant feeds smart lockout), and a later run is the honest advice.
 */
function throttled(url: string, method: 'GET' | 'POST', retryAfter: string | undefined): NetError {
  const host = new URL(url).host;
  const seconds = retryAfterSeconds(retryAfter ?? null);
  return new NetError(
    'THROTTLED',
    host,
    method === 'POST' ? 'token' : 'metadata',
    `Entra ID at ${host} is throttling ${method === 'POST' ? 'token' : 'metadata'} requests (HTTP 429${seconds !== undefined ? `, Retry-After ${seconds} s` : ''}); not retried, as repeating a sign-in can lock the account: run again later`,
    { status: 429, ...(seconds !== undefined ? { retryAfterSeconds: seconds } : {}) },
  );
}
