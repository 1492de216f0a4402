// Test helpers: HTTPS requests that trust the emulator's CA, and form posts to its token endpoint.
import { request } from 'node:https';
import { decodeJwt } from '../../src/emulator/jwt.js';
import type { DemoCredentials } from '../../src/emulator/model.js';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

export function httpsRequest(
  url: string,
  caPem: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: init.method ?? 'GET', headers: init.headers, ca: caPem, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}

export function postForm(
  url: string,
  caPem: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<HttpAnswer> {
  return httpsRequest(url, caPem, {
    method: 'POST',
    body: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });
}

export function claimsOf(token: string): Record<string, any> {
  const decoded = decodeJwt(token);
  if (!decoded) throw new Error('not a JWT');
  return decoded.payload;
}

export function headerOf(token: string): Record<string, any> {
  const decoded = decodeJwt(token);
  if (!decoded) throw new Error('not a JWT');
  return decoded.header as Record<string, any>;
}

export const IMAP_SCOPES =
  'https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/POP.AccessAsUser.All https://outlook.office.com/SMTP.Send offline_access';

type TokenEndpoint = { authorityHost: string; caPem: string };
const tokenEndpoint = (e: TokenEndpoint, c: DemoCredentials) => `${e.authorityHost}/${c.tenantId}/oauth2/v2.0/token`;

/** The connector's ROPC request (IMAP scopes unless `extra` says otherwise) to the emulator's token endpoint. */
export function ropcRequest(e: TokenEndpoint, c: DemoCredentials, extra: Record<string, string> = {}) {
  return postForm(tokenEndpoint(e, c), e.caPem, {
    grant_type: 'password',
    client_id: c.clientId,
    client_secret: c.clientSecret,
    username: c.username,
    password: c.password,
    scope: IMAP_SCOPES,
    ...extra,
  });
}

/** The app's client-credentials request for `resource`'s .default scope. */
export function appOnlyRequest(e: TokenEndpoint, c: DemoCredentials, resource = 'https://outlook.office365.com') {
  return postForm(tokenEndpoint(e, c), e.caPem, {
    grant_type: 'client_credentials',
    client_id: c.clientId,
    client_secret: c.clientSecret,
    scope: `${resource}/.default`,
  });
}
