// @microsoft/microsoft-graph-client 3.0.7, unchanged, reads the emulated Graph: paging, $select, $filter,
// permissions (403), missing objects (404), throttling (429), bad tokens (401) and refused writes (405).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthenticationHandler,
  Client,
  RetryHandler,
  RetryHandlerOptions,
  type Context,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { buildScenario } from '../../src/emulator/scenarios.js';
import { healthyTenant } from '../../src/emulator/tenant.js';
import { httpsRequest, postForm } from './helpers.js';

/** The last middleware: sends over node:https trusting the emulator CA (global fetch would not). */
class TrustingHttps implements Middleware {
  constructor(private readonly caPem: string) {}
  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const headers: Record<string, string> = {};
    new Headers(context.options?.headers as HeadersInit | undefined).forEach((v, k) => {
      headers[k] = v;
    });
    const answer = await httpsRequest(url, this.caPem, {
      method: context.options?.method ?? 'GET',
      headers,
      body: context.options?.body as string | undefined,
    });
    const responseHeaders = new Headers();
    for (const [k, v] of Object.entries(answer.headers))
      if (v !== undefined) responseHeaders.set(k, Array.isArray(v) ? v.join(', ') : v);
    context.response = new Response(answer.text, { status: answer.status, headers: responseHeaders });
  }
}

let e: RunningEmulator;
const tokens: Record<string, string> = {};

async function appToken(clientId: string, secret: string, resource = 'https://graph.microsoft.com'): Promise<string> {
  const r = await postForm(`${e.authorityHost}/${e.credentials.tenantId}/oauth2/v2.0/token`, e.caPem, {
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: secret,
    scope: `${resource}/.default`,
  });
  return r.json.access_token as string;
}

function graphClient(token: string): Client {
  const auth = new AuthenticationHandler({ getAccessToken: async () => token });
  const retry = new RetryHandler(new RetryHandlerOptions(1, 3));
  const last = new TrustingHttps(e.caPem);
  auth.setNext(retry);
  retry.setNext(last);
  return Client.initWithMiddleware({
    middleware: auth,
    baseUrl: `${e.graphUrl}/`,
    customHosts: new Set([new URL(e.graphUrl).hostname]),
  });
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (err: { statusCode: number; code: string; message: string; headers?: Headers }) => err,
  );

beforeAll(async () => {
  e = await startEmulator();
  tokens.admin = await appToken(e.credentials.adminClientId, e.credentials.adminClientSecret);
  tokens.connector = await appToken(e.credentials.clientId, e.credentials.clientSecret);
  tokens.exchange = await appToken(e.credentials.clientId, e.credentials.clientSecret, 'https://outlook.office365.com');
});
afterAll(async () => {
  await e.stop();
});
beforeEach(() => {
  e.tenant = healthyTenant().tenant;
});

describe('Graph reads with the directory reader (Directory.Read.All, Application.Read.All, Policy.Read.All)', () => {
  it('reads an application by appId and by $filter, without secret values', async () => {
    const g = graphClient(tokens.admin);
    const app = await g.api(`/applications(appId='${e.credentials.clientId}')`).version('v1.0').get();
    expect(app['@odata.context']).toBe(`${e.graphUrl}/v1.0/$metadata#applications/$entity`);
    expect(app).toMatchObject({
      appId: e.credentials.clientId,
      displayName: 'Mail Connector',
      isFallbackPublicClient: false,
      signInAudience: 'AzureADMyOrg',
    });
    expect(app.passwordCredentials[0].hint).toBe(e.credentials.clientSecret.slice(0, 3));
    expect(JSON.stringify(app)).not.toContain(e.credentials.clientSecret);
    const byFilter = await g.api('/applications').version('v1.0').filter(`appId eq '${e.credentials.clientId}'`).get();
    expect(byFilter.value.map((a: { id: string }) => a.id)).toEqual([app.id]);
    const byId = await g.api(`/applications/${app.id}`).version('v1.0').select('id,appId').get();
    expect(Object.keys(byId).sort()).toEqual(['@odata.context', 'appId', 'id']);
  });

  it('pages collections with @odata.nextLink ($top) and follows it to the end', async () => {
    const g = graphClient(tokens.admin);
    const ids: string[] = [];
    let page = await g.api('/servicePrincipals').version('v1.0').top(1).select('id').get();
    let pages = 1;
    while (true) {
      ids.push(...page.value.map((s: { id: string }) => s.id));
      if (!page['@odata.nextLink']) break;
      page = await g.api(page['@odata.nextLink']).get();
      pages++;
    }
    expect(pages).toBe(e.tenant.servicePrincipals.length);
    expect(ids).toEqual(e.tenant.servicePrincipals.map((s) => s.id));
  });

  it('pages at 100 by default', async () => {
    const base = e.tenant.servicePrincipals[0];
    for (let i = 0; i < 150; i++)
      e.tenant.servicePrincipals.push({ ...base, id: `00000000-0000-0000-0001-${String(i).padStart(12, '0')}` });
    const g = graphClient(tokens.admin);
    const first = await g.api('/servicePrincipals').version('v1.0').get();
    expect(first.value).toHaveLength(100);
    const second = await g.api(first['@odata.nextLink']).get();
    expect(second.value).toHaveLength(e.tenant.servicePrincipals.length - 100);
    expect(second['@odata.nextLink']).toBeUndefined();
  });

  it('reads service principals, their role assignments and grants', async () => {
    const g = graphClient(tokens.admin);
    const sp = await g
      .api(`/servicePrincipals(appId='00000002-0000-0ff1-ce00-000000000000')`)
      .version('v1.0')
      .select('id,appRoles')
      .get();
    expect(sp.appRoles.map((r: { value: string }) => r.value)).toContain('IMAP.AccessAsApp');
    const connector = e.tenant.servicePrincipals.find((s) => s.appId === e.credentials.clientId)!;
    const assignments = await g.api(`/servicePrincipals/${connector.id}/appRoleAssignments`).version('v1.0').get();
    expect(assignments.value).toHaveLength(4);
    expect(assignments.value[0]).toMatchObject({
      principalId: connector.id,
      principalType: 'ServicePrincipal',
      principalDisplayName: 'Mail Connector',
    });
    const grants = await g.api('/oauth2PermissionGrants').version('v1.0').filter(`clientId eq '${connector.id}'`).get();
    expect(grants.value).toEqual([
      expect.objectContaining({
        consentType: 'AllPrincipals',
        scope: 'offline_access IMAP.AccessAsUser.All POP.AccessAsUser.All SMTP.Send User.Read',
      }),
    ]);
    const viaSp = await g.api(`/servicePrincipals/${connector.id}/oauth2PermissionGrants`).version('v1.0').get();
    expect(viaSp.value).toHaveLength(1);
  });

  it('users: default properties, more only with $select; licences, SKUs, organization and policies', async () => {
    const g = graphClient(tokens.admin);
    const upn = e.credentials.username;
    const plain = await g.api(`/users/${upn}`).version('v1.0').get();
    expect(plain.userPrincipalName).toBe(upn);
    expect(plain).not.toHaveProperty('accountEnabled');
    expect(plain).not.toHaveProperty('password');
    const selected = await g
      .api(`/users/${upn}`)
      .version('v1.0')
      .select('id,accountEnabled,assignedLicenses,userType,onPremisesSyncEnabled')
      .get();
    expect(selected).toMatchObject({
      accountEnabled: true,
      userType: 'Member',
      onPremisesSyncEnabled: null,
      assignedLicenses: [{ skuId: 'f245ecc8-75af-4f8e-b61f-27d8114de5f3', disabledPlans: [] }],
    });
    expect(selected['@odata.context']).toBe(
      `${e.graphUrl}/v1.0/$metadata#users(id,accountEnabled,assignedLicenses,userType,onPremisesSyncEnabled)/$entity`,
    );
    const skus = await g.api('/subscribedSkus').version('v1.0').get();
    expect(skus.value[0]).toMatchObject({
      skuPartNumber: 'O365_BUSINESS_PREMIUM',
      servicePlans: expect.arrayContaining([expect.objectContaining({ servicePlanName: 'EXCHANGE_S_STANDARD' })]),
    });
    const org = await g.api('/organization').version('v1.0').get();
    expect(org.value[0]).toMatchObject({
      id: e.credentials.tenantId,
      verifiedDomains: [expect.objectContaining({ name: e.credentials.domain })],
    });
    const sd = await g.api('/policies/identitySecurityDefaultsEnforcementPolicy').version('v1.0').get();
    expect(sd).toMatchObject({ id: '00000000-0000-0000-0000-000000000005', isEnabled: false });
    e.tenant = buildScenario('mfa-required').tenant;
    const ca = await g.api('/identity/conditionalAccess/policies').version('v1.0').get();
    expect(ca.value[0]).toMatchObject({
      state: 'enabled',
      grantControls: expect.objectContaining({ builtInControls: ['mfa'] }),
    });
  });

  it('answers malformed OData and unknown segments with 400 BadRequest', async () => {
    const ask = (path: string) =>
      httpsRequest(`${e.graphUrl}${path}`, e.caPem, { headers: { authorization: `Bearer ${tokens.admin}` } });
    for (const path of [
      '/v1.0/servicePrincipals?$top=abc',
      "/v1.0/applications?$filter=startswith(displayName,'M')",
      '/v1.0/nonsense',
      '/beta/organization',
      '/v1.0/servicePrincipals?$skiptoken=%%%',
    ]) {
      const r = await ask(path);
      expect([path, r.status, r.json.error.code]).toEqual([path, 400, 'BadRequest']);
    }
    expect((await ask('/v1.0/users/%E0%A4%A')).json.error.code).toBe('Request_ResourceNotFound');
  });

  it('rejects an unknown $select property like Graph (400)', async () => {
    const err = await failure(
      graphClient(tokens.admin).api(`/users/${e.credentials.username}`).version('v1.0').select('nonsense').get(),
    );
    expect([err?.statusCode, err?.code]).toEqual([400, 'BadRequest']);
  });
});

describe('delegated Graph reads (directory reader signed in with a device code)', () => {
  it('licenseDetails works with a delegated Directory.Read.All token', async () => {
    const c = e.credentials;
    const start = await postForm(`${e.authorityHost}/${c.tenantId}/oauth2/v2.0/devicecode`, e.caPem, {
      client_id: c.adminClientId,
      scope: 'https://graph.microsoft.com/.default',
    });
    e.approveDeviceCode(start.json.user_code);
    const token = (
      await postForm(`${e.authorityHost}/${c.tenantId}/oauth2/v2.0/token`, e.caPem, {
        grant_type: 'device_code',
        client_id: c.adminClientId,
        device_code: start.json.device_code,
      })
    ).json.access_token as string;
    const details = await graphClient(token).api(`/users/${c.username}/licenseDetails`).version('v1.0').get();
    expect(details.value).toEqual([
      expect.objectContaining({
        skuPartNumber: 'O365_BUSINESS_PREMIUM',
        servicePlans: expect.arrayContaining([
          expect.objectContaining({
            servicePlanId: '9aaf7827-d63c-4b61-89c3-182f06f82e5c',
            provisioningStatus: 'Success',
          }),
        ]),
      }),
    ]);
    const me = await graphClient(token).api('/me').version('v1.0').get();
    expect(me.userPrincipalName).toBe(c.username);
  });
});

describe('Graph refusals', () => {
  it('403 Authorization_RequestDenied without the permission (connector app has no Application.Read.All)', async () => {
    const err = await failure(graphClient(tokens.connector).api('/applications').version('v1.0').get());
    expect([err?.statusCode, err?.code, err?.message]).toEqual([
      403,
      'Authorization_RequestDenied',
      'Insufficient privileges to complete the operation.',
    ]);
    // User.Read.All lets the connector read users.
    const user = await graphClient(tokens.connector).api(`/users/${e.credentials.username}`).version('v1.0').get();
    expect(user.id).toBe(e.tenant.users[0].id);
  });

  it('licenseDetails is not available to app-only tokens, even with Directory.Read.All', async () => {
    const err = await failure(
      graphClient(tokens.admin).api(`/users/${e.credentials.username}/licenseDetails`).version('v1.0').get(),
    );
    expect([err?.statusCode, err?.code]).toEqual([403, 'Authorization_RequestDenied']);
  });

  it('404 Request_ResourceNotFound for a missing user or app, with the Graph error shape', async () => {
    const err = await failure(
      graphClient(tokens.admin).api(`/users/nobody@${e.credentials.domain}`).version('v1.0').get(),
    );
    expect([err?.statusCode, err?.code]).toEqual([404, 'Request_ResourceNotFound']);
    const raw = await httpsRequest(
      `${e.graphUrl}/v1.0/applications(appId='12345678-1234-1234-1234-123456789012')`,
      e.caPem,
      { headers: { authorization: `Bearer ${tokens.admin}`, 'client-request-id': 'test-123' } },
    );
    expect(raw.status).toBe(404);
    expect(raw.json.error).toMatchObject({
      code: 'Request_ResourceNotFound',
      innerError: { 'client-request-id': 'test-123' },
    });
    expect(raw.json.error.innerError['request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(raw.json.error.innerError.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
  });

  it('401 InvalidAuthenticationToken for a token of another audience, a foreign key, an expired or a missing token', async () => {
    const url = `${e.graphUrl}/v1.0/organization`;
    const ask = (auth?: string) => httpsRequest(url, e.caPem, { headers: auth ? { authorization: auth } : {} });
    const foreign = e.mintAccessToken(
      { aud: 'https://graph.microsoft.com', roles: ['Directory.Read.All'] },
      { key: 'foreign' },
    );
    const expired = e.mintAccessToken({
      aud: 'https://graph.microsoft.com',
      roles: ['Directory.Read.All'],
      exp: Math.floor(Date.now() / 1000) - 3600,
    });
    for (const auth of [`Bearer ${tokens.exchange}`, `Bearer ${foreign}`, `Bearer ${expired}`, undefined]) {
      const r = await ask(auth);
      expect(r.status).toBe(401);
      expect(r.json.error.code).toBe('InvalidAuthenticationToken');
    }
    const minted = e.mintAccessToken({ aud: 'https://graph.microsoft.com', roles: ['Directory.Read.All'] });
    expect((await ask(`Bearer ${minted}`)).status).toBe(200);
  });

  it('429 TooManyRequests with Retry-After; the client gives up when told not to retry', async () => {
    e.tenant = buildScenario('graph-throttled').tenant;
    const err = await failure(
      graphClient(tokens.admin)
        .api('/organization')
        .version('v1.0')
        .middlewareOptions([new RetryHandlerOptions(0, 0)])
        .get(),
    );
    expect([err?.statusCode, err?.code]).toEqual([429, 'TooManyRequests']);
    const raw = await httpsRequest(`${e.graphUrl}/v1.0/organization`, e.caPem, {
      headers: { authorization: `Bearer ${tokens.admin}` },
    });
    expect([raw.status, raw.headers['retry-after']]).toEqual([429, '1']);
  });

  it("a throttle budget of one request is waited out by the client's RetryHandler (Retry-After honoured)", async () => {
    e.tenant.graphThrottle = { requests: 1, retryAfterSeconds: 1 };
    const started = Date.now();
    const org = await graphClient(tokens.admin).api('/organization').version('v1.0').get();
    expect(org.value).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(e.log.entries.slice(-2).map((x) => x.result)).toEqual(['429', '200']);
  });

  it('never writes: any other method is 405 and logged', async () => {
    const r = await httpsRequest(`${e.graphUrl}/v1.0/applications`, e.caPem, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(r.status).toBe(405);
    expect(e.log.entries.at(-1)).toMatchObject({
      service: 'graph',
      method: 'POST',
      target: '/v1.0/applications',
      result: '405',
    });
  });
});
