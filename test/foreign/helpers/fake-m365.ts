// A small Microsoft 365 imitation written for these probes (not src/emulator): one HTTPS listener on loopback that
// answers Entra ID's discovery, user realm and token endpoints and Graph from a route the test gives, recording
// every request. Answers are exactly what the test writes, so the tool cannot lean on the emulator's habits.
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { builtinChecks } from '../../../checks/index.js';
import { createClients } from '../../../src/clients/create.js';
import type { RawInputs } from '../../../src/config/inputs.js';
import { resolveConfig } from '../../../src/config/resolve.js';
import { emulatorCa, loopbackServerCert } from '../../../src/emulator/tls.js';
import { silentLogger } from '../../../src/core/log.js';
import { Redactor } from '../../../src/core/redact.js';
import type { CheckResult } from '../../../src/core/result.js';
import { runChecks } from '../../../src/runner/run.js';

export const TENANT_ID = '4f1c2a77-0b7e-4c3a-9d51-2b8e6f0a9c13';
export const CLIENT_ID = '0d9b6a52-81c4-4f0e-a3b7-5e2c1f8d4a60';
export const USER = 'mailer@fabrikam.example';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: string;
  form: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
}
export interface FakeAnswer {
  status?: number;
  body?: string | object;
  headers?: Record<string, string>;
  delayMs?: number;
}
/** Returns the answer to a request, or undefined for the default one. */
export type Route = (req: FakeRequest) => FakeAnswer | undefined;

export interface FakeServer {
  origin: string;
  host: string;
  requests: FakeRequest[];
  close(): Promise<void>;
}

export const caPem = () => emulatorCa().caPem;

/** An unsigned compact JWT (the tool never verifies signatures; Exchange or Dovecot would). */
export function jwt(
  claims: Record<string, unknown>,
  header: Record<string, unknown> = { typ: 'JWT', alg: 'RS256', kid: 'fake' },
): string {
  const b = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b(header)}.${b(claims)}.${Buffer.from('not-a-signature').toString('base64url')}`;
}

const now = () => Math.floor(Date.now() / 1000);

/** A v1-style Exchange delegated token as Entra issues it. Pass `undefined` for a claim to leave it out. */
export function exchangeClaims(over: Record<string, unknown> = {}): Record<string, unknown> {
  const claims: Record<string, unknown> = {
    aud: 'https://outlook.office.com',
    iss: `https://sts.windows.net/${TENANT_ID}/`,
    iat: now(),
    nbf: now(),
    exp: now() + 3600,
    appid: CLIENT_ID,
    scp: 'IMAP.AccessAsUser.All POP.AccessAsUser.All SMTP.Send',
    upn: USER,
    unique_name: USER,
    oid: '6a0f3c1e-2d4b-4e8a-9c7f-1b3d5e7f9a2c',
    tid: TENANT_ID,
    sub: 'fake-subject',
    ver: '1.0',
    ...over,
  };
  for (const k of Object.keys(claims)) if (claims[k] === undefined) delete claims[k];
  return claims;
}

export function discoveryDoc(origin: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    token_endpoint: `${origin}/${TENANT_ID}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${origin}/${TENANT_ID}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${origin}/${TENANT_ID}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
    authorization_endpoint: `${origin}/${TENANT_ID}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${origin}/${TENANT_ID}/oauth2/v2.0/devicecode`,
    end_session_endpoint: `${origin}/${TENANT_ID}/oauth2/v2.0/logout`,
    tenant_region_scope: 'EU',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    ...over,
  };
}

export const managedRealm = {
  NameSpaceType: 'Managed',
  Login: USER,
  DomainName: 'fabrikam.example',
  FederationBrandName: 'Fabrikam',
  TenantBrandingInfo: null,
  cloud_instance_name: 'microsoftonline.com',
};

/** A token response carrying `access_token` (and a refresh token unless `refresh: false`). */
export function tokenAnswer(accessToken: string, extra: Record<string, unknown> = {}): FakeAnswer {
  return {
    body: {
      token_type: 'Bearer',
      expires_in: 3599,
      ext_expires_in: 3599,
      access_token: accessToken,
      refresh_token: 'fake-refresh-token-0123456789',
      ...extra,
    },
  };
}

/** Entra's defaults: discovery, a managed realm, a healthy Exchange token; everything else 404. `route` comes first. */
export async function startFakeM365(route: Route = () => undefined): Promise<FakeServer> {
  const requests: FakeRequest[] = [];
  const sockets = new Set<Socket>();
  let origin = '';
  const defaults: Route = (req) => {
    if (/\/v2\.0\/\.well-known\/openid-configuration$/.test(req.path)) return { body: discoveryDoc(origin) };
    if (/^\/common\/userrealm\//.test(req.path)) return { body: managedRealm };
    if (/\/oauth2\/v2\.0\/token$/.test(req.path))
      return tokenAnswer(jwt(exchangeClaims()), {
        scope:
          'https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/POP.AccessAsUser.All https://outlook.office.com/SMTP.Send',
      });
    return { status: 404, body: { error: { code: 'Request_ResourceNotFound', message: 'not here' } } };
  };
  const server = https.createServer(loopbackServerCert(), (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'https://fake');
      const body = Buffer.concat(chunks).toString('utf8');
      const request: FakeRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        body,
        form: new URLSearchParams(body),
        headers: req.headers,
      };
      requests.push(request);
      const a = route(request) ?? defaults(request)!;
      const send = () => {
        if (res.destroyed) return;
        const text = typeof a.body === 'string' ? a.body : JSON.stringify(a.body ?? {});
        const type = typeof a.body === 'string' ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8';
        res.writeHead(a.status ?? 200, { 'content-type': type, ...a.headers });
        res.end(text);
      };
      if (a.delayMs) setTimeout(send, a.delayMs).unref();
      else send();
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    host: new URL(origin).host,
    requests,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

export const tokenPosts = (f: FakeServer, grant = 'password') =>
  f.requests.filter(
    (r) => r.method === 'POST' && r.path.endsWith('/oauth2/v2.0/token') && r.form.get('grant_type') === grant,
  );
export const writes = (f: FakeServer) =>
  f.requests.filter(
    (r) =>
      !['GET', 'POST'].includes(r.method) ||
      (r.method === 'POST' && !r.path.endsWith('/token') && !r.path.endsWith('/$batch')),
  );

/** Runs the built-in checks in-process against the fake, as `check --only <only>` would. */
export async function runAgainst(
  fake: FakeServer,
  opts: { only: string[]; inputs?: RawInputs; timeoutMs?: number },
): Promise<Map<string, CheckResult>> {
  const redactor = new Redactor();
  const values: RawInputs = {
    tenant: 'fabrikam.example',
    clientId: CLIENT_ID,
    username: USER,
    password: 'Correct-Horse-7',
    cloud: 'global',
    authorityHost: fake.origin,
    graphUrl: fake.origin,
    caPem: caPem(),
    activities: ['read-imap', 'read-pop', 'send-smtp'],
    ...opts.inputs,
  };
  const { config } = resolveConfig([{ values, label: (k) => `${k} of the probe` }], redactor);
  const clients = createClients(config, { redactor, log: silentLogger });
  const { results } = await runChecks({
    checks: builtinChecks,
    config,
    clients,
    redactor,
    log: silentLogger,
    only: opts.only,
    timeoutMs: opts.timeoutMs,
  });
  return new Map(results.map((r) => [r.id, r]));
}
