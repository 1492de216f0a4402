// Opaque access tokens (tenant tokenFormat): the token endpoint returns a handle that is no JWT, and Graph and Exchange
// accept it by the claims the emulator recorded, judging them as they judge a JWT's.
import { createPublicKey } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { healthyTenant } from '../../src/emulator/tenant.js';
import { judgeBearer } from '../../src/emulator/exchange/authorize.js';
import { decodeJwt } from '../../src/emulator/jwt.js';
import { readAccessToken } from '../../src/emulator/opaque-tokens.js';
import { httpsRequest, postForm } from './helpers.js';

let e: RunningEmulator;
beforeAll(async () => {
  e = await startEmulator();
});
afterAll(async () => {
  await e.stop();
});
beforeEach(() => {
  e.tenant = healthyTenant().tenant;
});

const IMAP_SCOPES = 'https://outlook.office.com/IMAP.AccessAsUser.All offline_access';
const tokenUrl = () => `${e.authorityHost}/${e.credentials.tenantId}/oauth2/v2.0/token`;
const ropc = () =>
  postForm(tokenUrl(), e.caPem, {
    grant_type: 'password',
    client_id: e.credentials.clientId,
    client_secret: e.credentials.clientSecret,
    username: e.credentials.username,
    password: e.credentials.password,
    scope: IMAP_SCOPES,
  });
const appOnly = (scope: string) =>
  postForm(tokenUrl(), e.caPem, {
    grant_type: 'client_credentials',
    client_id: e.credentials.clientId,
    client_secret: e.credentials.clientSecret,
    scope,
  });
const publicKey = () => e.signingKey.publicKeyPem;
const key = () => createPublicKey(publicKey());

describe('tokenFormat opaque', () => {
  it('delegated Exchange: a handle, not a JWT; the response still names the scopes; Exchange accepts it', async () => {
    e.tenant.tokenFormat = { exchangeDelegated: 'opaque' };
    const r = await ropc();
    expect(r.status).toBe(200);
    const token = r.json.access_token as string;
    expect(decodeJwt(token)).toBeUndefined();
    expect(token).not.toContain('.');
    expect(r.json.scope).toContain('IMAP.AccessAsUser.All');
    expect(judgeBearer(e.credentials.username, token, 'imap', e.tenant, key())).toMatchObject({
      outcome: 'authenticated',
      kind: 'delegated',
    });
    // Still judged: the scope it holds is IMAP's only.
    expect(judgeBearer(e.credentials.username, token, 'smtp', e.tenant, key())).toMatchObject({
      outcome: 'rejected',
      reason: 'missing-scope',
    });
  });

  it('only the named kind changes: app-only Exchange stays a JWT when only delegated is opaque', async () => {
    e.tenant.tokenFormat = { exchangeDelegated: 'opaque' };
    const r = await appOnly('https://outlook.office365.com/.default');
    expect(decodeJwt(r.json.access_token)).toBeDefined();
  });

  it('omitResponseScope leaves scope out of the delegated response', async () => {
    e.tenant.omitResponseScope = true;
    const r = await ropc();
    expect(r.status).toBe(200);
    expect(r.json).not.toHaveProperty('scope');
  });

  it('app-only Graph: Graph answers a handle holding the role and refuses one it never issued', async () => {
    e.tenant.tokenFormat = { graphAppOnly: 'opaque' };
    const token = (await appOnly('https://graph.microsoft.com/.default')).json.access_token as string;
    expect(decodeJwt(token)).toBeUndefined();
    const ask = (t: string) =>
      httpsRequest(`${e.graphUrl}/v1.0/users/${encodeURIComponent(e.credentials.username)}`, e.caPem, {
        headers: { authorization: `Bearer ${t}` },
      });
    expect((await ask(token)).status).toBe(200);
    const forged = await ask('A'.repeat(64));
    expect(forged.status).toBe(401);
    expect(forged.json.error.code).toBe('InvalidAuthenticationToken');
  });

  it('app-only Exchange without the role: the handle is read and the role found missing', async () => {
    e.tenant.tokenFormat = { exchangeAppOnly: 'opaque' };
    e.tenant.appRoleAssignments = [];
    const token = (await appOnly('https://outlook.office365.com/.default')).json.access_token as string;
    expect(decodeJwt(token)).toBeUndefined();
    expect(judgeBearer(e.credentials.username, token, 'imap', e.tenant, key())).toMatchObject({
      outcome: 'rejected',
      reason: 'missing-role',
    });
  });

  it('a handle keeps its lifetime: past exp it reads as expired', async () => {
    e.tenant.tokenFormat = { exchangeDelegated: 'opaque' };
    const token = (await ropc()).json.access_token as string;
    expect(readAccessToken(token, publicKey()).ok).toBe(true);
    expect(readAccessToken(token, publicKey(), Date.now() / 1000 + 7200)).toEqual({ ok: false, reason: 'expired' });
  });
});
