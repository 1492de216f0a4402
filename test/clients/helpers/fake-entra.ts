// A small HTTPS stand-in for Entra ID used where the shared emulator cannot misbehave on demand:
// scripted token answers, raw fault bodies, and a log of every request it saw.
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { Issued } from './test-ca.js';

export const TID = 'aaaaaaaa-1111-2222-3333-444444444444';
export const DOMAIN = 'contoso.test';

export interface SeenRequest {
  method: string;
  path: string;
  pathname: string;
  form: Record<string, string>;
}
type Answer = { status: number; body: string; type?: string };
export type TokenScript = (form: Record<string, string>, n: number) => Answer | undefined;

export function entraErrorAnswer(
  status: number,
  error: string,
  code: number,
  text: string,
  extra: Record<string, unknown> = {},
): Answer {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = '2026-11-02 10:00:00Z';
  return {
    status,
    body: JSON.stringify({
      error,
      error_description: `AADSTS${code}: ${text}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
      ...extra,
    }),
  };
}

const b64u = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
/** Unsigned-looking JWT: clients never verify, so a random signature segment is enough. */
export function fakeJwt(claims: Record<string, unknown>): string {
  return `${b64u({ typ: 'JWT', alg: 'RS256', kid: 'k1' })}.${b64u(claims)}.${Buffer.from(randomUUID()).toString('base64url')}`;
}

export interface FakeEntra {
  url: string;
  seen: SeenRequest[];
  tokenPosts(grant?: string): number;
  /** Every token string this server handed out (to prove the client registered them for redaction). */
  issued: string[];
  script: { token?: TokenScript; discovery?: () => Answer | undefined };
  close(): Promise<void>;
}

export async function startFakeEntra(tls: Issued): Promise<FakeEntra> {
  const seen: SeenRequest[] = [];
  const issued: string[] = [];
  const script: FakeEntra['script'] = {};
  let url = '';
  const pendingDevice = new Map<string, number>();
  const server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', () => {
      const u = new URL(req.url ?? '/', url);
      const form = Object.fromEntries(new URLSearchParams(raw));
      seen.push({ method: req.method ?? '', path: u.pathname + u.search, pathname: u.pathname, form });
      const send = (a: Answer) => {
        res.writeHead(a.status, { 'content-type': a.type ?? 'application/json; charset=utf-8' });
        res.end(a.body);
      };
      const tenant = u.pathname.split('/')[1];
      const known = tenant === TID || tenant === DOMAIN || tenant === 'common';
      if (u.pathname.endsWith('/.well-known/openid-configuration')) {
        const custom = script.discovery?.();
        if (custom) return send(custom);
        if (!known)
          return send(
            entraErrorAnswer(
              400,
              'invalid_tenant',
              90002,
              `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
            ),
          );
        const base = `${url}/${TID}`;
        return send({
          status: 200,
          body: JSON.stringify({
            issuer: `${base}/v2.0`,
            authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
            token_endpoint: `${base}/oauth2/v2.0/token`,
            device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
            jwks_uri: `${base}/discovery/v2.0/keys`,
            end_session_endpoint: `${base}/oauth2/v2.0/logout`,
            response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
            scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
            subject_types_supported: ['pairwise'],
            id_token_signing_alg_values_supported: ['RS256'],
            cloud_instance_name: 'microsoftonline.com',
            tenant_region_scope: 'NA',
            msgraph_host: 'graph.microsoft.com',
            request_uri_parameter_supported: false,
            claims_supported: ['sub', 'iss'],
          }),
        });
      }
      if (u.pathname.startsWith('/common/userrealm/')) {
        const upn = decodeURIComponent(u.pathname.slice('/common/userrealm/'.length));
        return send({
          status: 200,
          body: JSON.stringify({
            NameSpaceType: 'Managed',
            Login: upn,
            DomainName: upn.split('@')[1],
            cloud_instance_name: 'microsoftonline.com',
          }),
        });
      }
      if (u.pathname.endsWith('/oauth2/v2.0/devicecode')) {
        const code = randomUUID();
        pendingDevice.set(code, 0);
        return send({
          status: 200,
          body: JSON.stringify({
            device_code: code,
            user_code: 'ABCD-EFGH',
            verification_uri: `${url}/common/oauth2/deviceauth`,
            expires_in: 900,
            interval: 1,
            message: `To sign in, open ${url}/common/oauth2/deviceauth and enter the code ABCD-EFGH.`,
          }),
        });
      }
      if (u.pathname.endsWith('/oauth2/v2.0/token')) {
        const n = seen.filter((s) => s.form.grant_type === form.grant_type && s.pathname.endsWith('/token')).length;
        const custom = script.token?.(form, n);
        if (custom) return send(custom);
        // MSAL sends the short grant type "device_code"; Entra also accepts the RFC 8628 URN.
        if (form.grant_type === 'device_code' || form.grant_type === 'urn:ietf:params:oauth:grant-type:device_code') {
          const polls = (pendingDevice.get(form.device_code) ?? 0) + 1;
          pendingDevice.set(form.device_code, polls);
          if (polls < 2)
            return send(
              entraErrorAnswer(
                400,
                'authorization_pending',
                70016,
                'OAuth 2.0 device flow error. Authorization is pending.',
              ),
            );
        }
        const answer = tokenAnswer(form);
        for (const k of ['access_token', 'refresh_token', 'id_token'])
          if (typeof answer[k] === 'string') issued.push(answer[k] as string);
        return send({ status: 200, body: JSON.stringify(answer) });
      }
      send({ status: 404, body: '{"error":"not_found","error_description":"no such path"}' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    seen,
    script,
    tokenPosts: (grant) =>
      seen.filter((s) => s.pathname.endsWith('/token') && (!grant || s.form.grant_type === grant)).length,
    issued,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A plausible success answer for each grant: scopes echo the request, refresh token only with offline_access. */
function tokenAnswer(form: Record<string, string>): Record<string, unknown> {
  const scopes = (form.scope ?? '').split(' ').filter(Boolean);
  const resourceScope = scopes.find((s) => s.includes('/')) ?? '';
  const aud = resourceScope.slice(0, resourceScope.lastIndexOf('/'));
  const now = Math.floor(Date.now() / 1000);
  const delegated = form.grant_type !== 'client_credentials';
  const names = scopes.filter((s) => s.includes('/')).map((s) => s.slice(s.lastIndexOf('/') + 1));
  const claims: Record<string, unknown> = {
    aud,
    iss: `https://sts.windows.net/${TID}/`,
    tid: TID,
    iat: now,
    nbf: now,
    exp: now + 3600,
    appid: form.client_id,
    ver: '1.0',
  };
  if (delegated)
    Object.assign(claims, {
      upn: form.username ?? 'admin@contoso.test',
      oid: '99999999-0000-0000-0000-000000000001',
      scp: names.join(' '),
    });
  else Object.assign(claims, { oid: '88888888-0000-0000-0000-000000000001', roles: ['IMAP.AccessAsApp'] });
  const out: Record<string, unknown> = {
    token_type: 'Bearer',
    expires_in: 3599,
    ext_expires_in: 3599,
    access_token: fakeJwt(claims),
    scope: scopes.filter((s) => !['openid', 'profile'].includes(s)).join(' '),
  };
  if (delegated && scopes.includes('offline_access')) out.refresh_token = `rt-${randomUUID()}`; // deliberately not Entra-shaped: only explicit registration can hide it
  if (delegated && scopes.includes('openid')) {
    out.id_token = fakeJwt({
      aud: form.client_id,
      iss: `${'https://login.test'}/${TID}/v2.0`,
      tid: TID,
      oid: claims.oid,
      sub: 'sub1',
      preferred_username: claims.upn,
      name: 'User',
      iat: now,
      nbf: now,
      exp: now + 3600,
      ver: '2.0',
    });
  }
  if (delegated && form.client_info === '1') out.client_info = b64u({ uid: claims.oid, utid: TID });
  return out;
}
