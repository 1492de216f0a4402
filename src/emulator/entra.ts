// The emulated Entra ID over HTTPS: discovery, JWKS, userrealm, the v2.0 token and device-code endpoints, and
// the small device-code approval page. Every request is written to the request log, never a secret.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestLog } from './request-log.js';
import { EntraFailure, renderEntraError } from './entra-errors.js';
import { deviceCodeStart, findUser, namesTenant, tokenGrant, type EntraState } from './entra-grants.js';
import { openIdConfiguration, userRealm } from './entra-discovery.js';
import {
  answeredStatus,
  BodyTooLargeError,
  listenHttps,
  logTarget,
  pathSegments,
  readForm,
  sendFault,
  sendHtml,
  sendJson,
  type EmulatorFaults,
  type HttpsListener,
} from './http-kit.js';

export interface EntraServerOptions {
  state: EntraState;
  tls: { key: string; cert: string };
  host: string;
  port: number;
  log: RequestLog;
  faults: () => EmulatorFaults;
  graphUrl: () => string;
  /** Called once the port is known, before any request is served. */
  onListening?: (authorityHost: string) => void;
}

function sendEntraError(res: ServerResponse, failure: EntraFailure): void {
  const { status, body } = renderEntraError(failure);
  sendJson(res, status, body);
}

const page = (title: string, body: string) =>
  `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;

const DEVICE_FORM = page(
  'Enter code',
  `<p>Enter the code displayed on your app or device.</p>
<form method="post"><label>Code <input name="user_code" autocomplete="off" autofocus></label>
<label>Sign in as (optional) <input name="upn" type="email"></label><button type="submit">Next</button></form>`,
);

async function deviceAuthPage(req: IncomingMessage, res: ServerResponse, state: EntraState): Promise<void> {
  if (req.method === 'GET') {
    sendHtml(res, 200, DEVICE_FORM);
    return;
  }
  const form = await readForm(req);
  const upn = (form.get('upn') ?? '').trim();
  if (upn && !findUser(state.tenant(), upn)) {
    sendHtml(res, 400, page('Sign in failed', '<p>That account does not exist in this tenant.</p>'));
    return;
  }
  const ok = state.deviceCodes.approve(form.get('user_code') ?? '', upn);
  if (ok)
    sendHtml(
      res,
      200,
      page('Signed in', '<p>You have signed in to the application on your device. You may now close this window.</p>'),
    );
  else sendHtml(res, 400, page('Enter code', "<p>That code didn't work. Check the code and try again.</p>"));
}

async function route(
  req: IncomingMessage,
  res: ServerResponse,
  opts: EntraServerOptions,
  authorityHost: string,
  note: (grant: string) => void,
): Promise<void> {
  const { state } = opts;
  const url = new URL(req.url ?? '/', authorityHost);
  const parts = pathSegments(url.pathname);
  const method = req.method ?? 'GET';
  const tenant = state.tenant();

  // Discovery documents and keys.
  const discovery = /^(v2\.0\/)?\.well-known\/openid-configuration$/.exec(parts.slice(1).join('/'));
  if (method === 'GET' && parts.length >= 2 && discovery) {
    const doc = openIdConfiguration(tenant, parts[0], authorityHost, opts.graphUrl(), discovery[1] ? 'v2' : 'v1');
    if (doc) sendJson(res, 200, doc);
    else sendEntraError(res, new EntraFailure(90002, { tenant: parts[0] }, { errorClass: 'invalid_tenant' }));
    return;
  }
  const keysPath = parts.slice(1).join('/');
  if (method === 'GET' && parts.length >= 2 && (keysPath === 'discovery/v2.0/keys' || keysPath === 'discovery/keys')) {
    const seg = parts[0].toLowerCase();
    if (seg === 'common' || seg === 'organizations' || namesTenant(tenant, seg))
      sendJson(res, 200, { keys: [state.key.jwk] });
    else sendEntraError(res, new EntraFailure(90002, { tenant: parts[0] }, { errorClass: 'invalid_tenant' }));
    return;
  }
  if (method === 'GET' && parts[0] === 'common' && parts[1] === 'userrealm' && parts.length === 3) {
    sendJson(res, 200, userRealm(tenant, parts[2], url.searchParams.get('api-version') ?? '1.0'));
    return;
  }
  if (
    parts[0] === 'common' &&
    parts[1] === 'oauth2' &&
    parts[2] === 'deviceauth' &&
    parts.length === 3 &&
    (method === 'GET' || method === 'POST')
  ) {
    await deviceAuthPage(req, res, state);
    return;
  }
  if (method === 'POST' && parts.length === 4 && parts[1] === 'oauth2' && parts[2] === 'v2.0') {
    if (parts[3] === 'token') {
      const fault = opts.faults().entra;
      const form = await readForm(req);
      note(form.get('grant_type') ?? '');
      if (fault === 'aadsts90033') {
        sendEntraError(res, new EntraFailure(90033));
        return;
      }
      if (fault) {
        sendFault(res, fault, 'entra');
        return;
      }
      sendJson(res, 200, tokenGrant(state, parts[0], form, req.headers.authorization));
      return;
    }
    if (parts[3] === 'devicecode') {
      sendJson(res, 200, deviceCodeStart(state, parts[0], await readForm(req)));
      return;
    }
  }
  sendJson(res, 404, { error: 'not_found', error_description: `No such endpoint: ${method} ${url.pathname}` });
}

export interface EntraServer extends HttpsListener {
  authorityHost: string;
}

export async function startEntraServer(opts: EntraServerOptions): Promise<EntraServer> {
  let authorityHost = '';
  const listener = await listenHttps(opts.tls, opts.host, opts.port, (req, res) => {
    let grant: string | undefined;
    // 'close' also fires when the client goes away mid-answer: such requests are logged as aborted.
    res.on('close', () =>
      opts.log.record({
        service: 'entra',
        method: req.method ?? 'GET',
        target: logTarget(req.url ?? '/'),
        result: answeredStatus(res),
        ...(grant !== undefined ? { detail: grant } : {}),
      }),
    );
    // The emulator's public address (a proxy in front of it may have taken that role) names every endpoint.
    route(req, res, opts, opts.state.authorityHost() || authorityHost, (g) => {
      grant = g;
    }).catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof EntraFailure) sendEntraError(res, err);
      else if (err instanceof BodyTooLargeError)
        sendJson(res, 413, { error: 'invalid_request', error_description: 'Request body too large.' });
      else
        sendJson(res, 500, { error: 'server_error', error_description: 'The emulator failed to handle the request.' });
    });
  });
  authorityHost = `https://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${listener.port}`;
  opts.onListening?.(authorityHost);
  return { ...listener, authorityHost };
}
