// Microsoft Graph answers written by hand, as Graph documents them: errors with error.code / error.message /
// innerError (Authorization_RequestDenied 403, Request_ResourceNotFound 404), 429 with Retry-After, $select fields
// left out of an answer, collections paged with @odata.nextLink. Every request is a GET (read-only).
import { afterAll, describe, expect, it } from 'vitest';
import { BUSINESS_STANDARD_SKU_ID } from '../../src/m365/licenses.js';
import { profilePermissions } from '../../src/m365/permissions.js';
import {
  runAgainst,
  startFakeM365,
  USER,
  writes,
  type FakeAnswer,
  type FakeRequest,
  type FakeServer,
} from './helpers/fake-m365.js';

const servers: FakeServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

const EXCHANGE_S_STANDARD = '9aaf7827-d63c-4b61-89c3-182f06f82e5c';
const USER_ID = '6a0f3c1e-2d4b-4e8a-9c7f-1b3d5e7f9a2c';
/** user-account looks a name Graph does not know as a UPN up by mail ($filter on /users): nobody has it either. */
const noneByMail = (req: FakeRequest): FakeAnswer | undefined =>
  req.path === '/v1.0/users' && req.query.has('$filter') ? { body: { value: [] } } : undefined;
const graphError = (status: number, code: string, message: string, headers?: Record<string, string>): FakeAnswer => ({
  status,
  headers,
  body: {
    error: {
      code,
      message,
      innerError: {
        date: '2026-12-05T06:12:44',
        'request-id': '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
        'client-request-id': '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4e',
      },
    },
  },
});
const user = (over: Record<string, unknown> = {}) => ({
  '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users(id,userPrincipalName)/$entity',
  id: USER_ID,
  userPrincipalName: USER,
  displayName: 'Mailer',
  accountEnabled: true,
  userType: 'Member',
  mail: USER,
  assignedLicenses: [{ disabledPlans: [], skuId: BUSINESS_STANDARD_SKU_ID }],
  onPremisesSyncEnabled: null,
  ...over,
});
const sku = (over: Record<string, unknown> = {}) => ({
  skuId: BUSINESS_STANDARD_SKU_ID,
  skuPartNumber: 'O365_BUSINESS_PREMIUM',
  capabilityStatus: 'Enabled',
  consumedUnits: 1,
  servicePlans: [
    {
      servicePlanId: EXCHANGE_S_STANDARD,
      servicePlanName: 'EXCHANGE_S_STANDARD',
      provisioningStatus: 'Success',
      appliesTo: 'User',
    },
  ],
  ...over,
});

type GraphRoute = (req: FakeRequest, origin: string) => FakeAnswer | undefined;

async function withGraph(
  route: GraphRoute,
  only = ['user-account', 'user-license'],
  inputs: Record<string, string> = {},
) {
  let origin = '';
  const fake = await startFakeM365((req) => (req.path.startsWith('/v1.0/') ? route(req, origin) : undefined));
  origin = fake.origin;
  servers.push(fake);
  const run = await runAgainst(fake, {
    only,
    inputs: {
      adminClientId: 'a2b3c4d5-e6f7-4a8b-9c0d-1e2f3a4b5c6d',
      adminClientSecret: 'admin-secret-value-0123456789',
      ...inputs,
    },
  });
  expect(writes(fake)).toEqual([]);
  return { run, fake };
}

const healthy: GraphRoute = (req) => {
  if (req.path === `/v1.0/users/${USER}` || req.path === `/v1.0/users/${encodeURIComponent(USER)}`)
    return { body: user() };
  if (req.path === '/v1.0/subscribedSkus') return { body: { '@odata.context': 'x', value: [sku()] } };
  return undefined;
};

describe("Graph answers unlike the emulator's", { timeout: 30_000 }, () => {
  it('baseline: user and licence read', async () => {
    const { run } = await withGraph(healthy);
    expect([run.get('user-account')!.status, run.get('user-account')!.code]).toEqual(['pass', 'USER_OK']);
    expect([run.get('user-license')!.status, run.get('user-license')!.code]).toEqual(['pass', 'LICENSE_OK']);
  });

  it('Request_ResourceNotFound 404 with innerError: USER_NOT_FOUND, request id kept', async () => {
    const { run } = await withGraph((req, o) =>
      req.path.startsWith('/v1.0/users/')
        ? graphError(
            404,
            'Request_ResourceNotFound',
            `Resource '${USER}' does not exist or one of its queried reference-property objects are not present.`,
          )
        : (noneByMail(req) ?? healthy(req, o)),
    );
    const r = run.get('user-account')!;
    expect([r.status, r.code]).toEqual(['fail', 'USER_NOT_FOUND']);
    expect(r.evidence.graphCode).toBe('Request_ResourceNotFound');
    expect(r.evidence.requestId).toBe('0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d');
  });

  it("Authorization_RequestDenied 403: an error naming Graph's code, not a verdict on the user", async () => {
    const { run } = await withGraph((req, o) =>
      req.path.startsWith('/v1.0/users/')
        ? graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.')
        : healthy(req, o),
    );
    const r = run.get('user-account')!;
    expect([r.status, r.code]).toEqual(['error', 'Authorization_RequestDenied']);
  });

  it('429 with Retry-After 1, then the answer: read after one wait', async () => {
    let throttled = 0;
    const { run, fake } = await withGraph(
      (req, o) => {
        if (req.path.startsWith('/v1.0/users/') && throttled++ === 0)
          return graphError(429, 'TooManyRequests', 'Too many requests.', { 'retry-after': '1' });
        return healthy(req, o);
      },
      ['user-account'],
    );
    expect([run.get('user-account')!.status, run.get('user-account')!.code]).toEqual(['pass', 'USER_OK']);
    expect(fake.requests.filter((r) => r.path.startsWith('/v1.0/users/'))).toHaveLength(2);
  });

  it('429 with a Retry-After longer than the time limit: THROTTLED, no busy retrying', async () => {
    const { run, fake } = await withGraph(
      (req, o) =>
        req.path.startsWith('/v1.0/users/')
          ? graphError(429, 'TooManyRequests', 'Too many requests.', { 'retry-after': '3600' })
          : healthy(req, o),
      ['user-account'],
    );
    expect([run.get('user-account')!.status, run.get('user-account')!.code]).toEqual(['error', 'THROTTLED']);
    expect(fake.requests.filter((r) => r.path.startsWith('/v1.0/users/'))).toHaveLength(1);
  });

  it('a relative @odata.nextLink is followed on the Graph origin', async () => {
    const { run, fake } = await withGraph((req, o) => {
      if (req.path === '/v1.0/subscribedSkus' && !req.query.get('$skiptoken'))
        return { body: { value: [], '@odata.nextLink': '/v1.0/subscribedSkus?$skiptoken=page2' } };
      if (req.path === '/v1.0/subscribedSkus') return { body: { value: [sku()] } };
      return healthy(req, o);
    });
    expect([run.get('user-license')!.status, run.get('user-license')!.code]).toEqual(['pass', 'LICENSE_OK']);
    expect(fake.requests.filter((r) => r.path === '/v1.0/subscribedSkus')).toHaveLength(2);
  });

  it('an @odata.nextLink to another host is not followed (the token stays on the Graph origin)', async () => {
    const { run, fake } = await withGraph((req, o) =>
      req.path === '/v1.0/subscribedSkus'
        ? { body: { value: [], '@odata.nextLink': 'https://graph.example.invalid/v1.0/subscribedSkus?$skiptoken=x' } }
        : healthy(req, o),
    );
    expect([run.get('user-license')!.status, run.get('user-license')!.code]).toEqual(['error', 'BAD_RESPONSE']);
    expect(fake.requests.filter((r) => r.path === '/v1.0/subscribedSkus')).toHaveLength(1);
  });

  it.each([
    ['application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8'],
    ['text/plain'],
    ['application/octet-stream'],
  ])('a JSON answer sent as %s is read as JSON', async (type) => {
    const { run } = await withGraph((req, o) => {
      const a = healthy(req, o);
      return a ? { ...a, headers: { 'content-type': type } } : undefined;
    });
    expect([run.get('user-account')!.status, run.get('user-account')!.code]).toEqual(['pass', 'USER_OK']);
    expect([run.get('user-license')!.status, run.get('user-license')!.code]).toEqual(['pass', 'LICENSE_OK']);
  });

  it('a Graph error labelled text/plain still yields its code (Request_ResourceNotFound -> USER_NOT_FOUND)', async () => {
    const { run } = await withGraph(
      (req, o) =>
        req.path.startsWith('/v1.0/users/')
          ? { ...graphError(404, 'Request_ResourceNotFound', 'not found'), headers: { 'content-type': 'text/plain' } }
          : (noneByMail(req) ?? healthy(req, o)),
      ['user-account'],
    );
    const r = run.get('user-account')!;
    expect([r.status, r.code, r.evidence.graphCode]).toEqual(['fail', 'USER_NOT_FOUND', 'Request_ResourceNotFound']);
  });

  it('$select fields left out of the user (no accountEnabled, userType, mail, onPremisesSyncEnabled): judged on what is there', async () => {
    const { run } = await withGraph((req, o) =>
      req.path.startsWith('/v1.0/users/')
        ? { body: { id: USER_ID, userPrincipalName: USER, assignedLicenses: [{ skuId: BUSINESS_STANDARD_SKU_ID }] } }
        : healthy(req, o),
    );
    expect([run.get('user-account')!.status, run.get('user-account')!.code]).toEqual(['pass', 'USER_OK']);
    const lic = run.get('user-license')!;
    expect([lic.status, lic.code]).toEqual(['pass', 'LICENSE_OK']);
  });

  it('a user answer without userPrincipalName: the message names the configured user, not "undefined"', async () => {
    const { run } = await withGraph((req, o) =>
      req.path.startsWith('/v1.0/users/')
        ? {
            body: {
              id: USER_ID,
              accountEnabled: true,
              assignedLicenses: [{ skuId: BUSINESS_STANDARD_SKU_ID, disabledPlans: [] }],
            },
          }
        : healthy(req, o),
    );
    expect(run.get('user-account')!.message).not.toContain('undefined');
    expect(run.get('user-license')!.message).not.toContain('undefined');
  });

  it('a subscribedSkus entry without servicePlans: not a crash', async () => {
    const { run } = await withGraph((req, o) =>
      req.path === '/v1.0/subscribedSkus'
        ? {
            body: {
              value: [
                sku({ servicePlans: undefined, skuId: '00000000-1111-2222-3333-444444444444', skuPartNumber: 'ODD' }),
                sku(),
              ],
            },
          }
        : healthy(req, o),
    );
    const lic = run.get('user-license')!;
    expect([lic.status, lic.code]).toEqual(['pass', 'LICENSE_OK']);
  });

  it('subscribedSkus paged with @odata.nextLink: the Business Standard SKU on page 2 is found', async () => {
    const { run, fake } = await withGraph((req, o) => {
      if (req.path === '/v1.0/subscribedSkus' && !req.query.get('$skiptoken')) {
        return {
          body: {
            value: [
              sku({
                skuId: '11111111-2222-3333-4444-555555555555',
                skuPartNumber: 'POWER_BI_STANDARD',
                servicePlans: [],
              }),
            ],
            '@odata.nextLink': `${o}/v1.0/subscribedSkus?$skiptoken=page2`,
          },
        };
      }
      if (req.path === '/v1.0/subscribedSkus') return { body: { value: [sku({ capabilityStatus: 'Suspended' })] } };
      return healthy(req, o);
    });
    const lic = run.get('user-license')!;
    // Page 2 says the subscription is suspended: only reading it gives this verdict.
    expect([lic.status, lic.code]).toEqual(['fail', 'SUBSCRIPTION_SUSPENDED']);
    expect(fake.requests.filter((r) => r.path === '/v1.0/subscribedSkus')).toHaveLength(2);
  });
});

describe('application and service principal answers with fields left out', { timeout: 30_000 }, () => {
  const EXCHANGE_APP = '00000002-0000-0ff1-ce00-000000000000';
  const sp = (appId: string, over: Record<string, unknown> = {}) => ({
    id: `sp-${appId.slice(0, 8)}`,
    appId,
    displayName: appId === EXCHANGE_APP ? 'Office 365 Exchange Online' : 'Mail Connector',
    ...over,
  });
  const dir =
    (app: Record<string, unknown>, spOver: Record<string, unknown> = {}): GraphRoute =>
    (req) => {
      if (req.path.startsWith('/v1.0/applications')) return { body: app };
      const m = decodeURIComponent(req.path).match(/^\/v1\.0\/servicePrincipals\(appId='([^']+)'\)$/);
      if (m) return { body: sp(m[1], m[1] === EXCHANGE_APP ? {} : spOver) };
      return undefined;
    };
  const only = ['app-registration', 'service-principal'];

  it("a service principal without accountEnabled (Graph's default is enabled): not SP_DISABLED", async () => {
    const { run } = await withGraph(
      dir({
        id: 'a',
        appId: 'x',
        displayName: 'Mail Connector',
        isFallbackPublicClient: true,
        requiredResourceAccess: [],
        passwordCredentials: [],
      }),
      only,
    );
    const r = run.get('service-principal')!;
    expect([r.status, r.code]).toEqual(['pass', 'SP_OK']);
  });

  it('an explicit accountEnabled false is still SP_DISABLED', async () => {
    const { run } = await withGraph(
      dir(
        { id: 'a', appId: 'x', displayName: 'Mail Connector', requiredResourceAccess: [] },
        { accountEnabled: false },
      ),
      only,
    );
    expect([run.get('service-principal')!.status, run.get('service-principal')!.code]).toEqual(['fail', 'SP_DISABLED']);
  });

  it('an application without requiredResourceAccess: "could not read" (error BAD_RESPONSE), not a crash nor PERMISSION_MISSING', async () => {
    const { run } = await withGraph(
      dir({ id: 'a', appId: 'x', displayName: 'Mail Connector', isFallbackPublicClient: true }),
      only,
    );
    const r = run.get('app-registration')!;
    expect([r.status, r.code]).toEqual(['error', 'BAD_RESPONSE']);
  });

  it('an application without passwordCredentials: its secret expiry is not judged (no SECRET_EXPIRED)', async () => {
    // Every permission the vendor profile needs is listed, so only the secret could fail it.
    const byResource = new Map<string, { id: string; type: string }[]>();
    for (const p of profilePermissions(['read-imap', 'read-pop', 'send-smtp'], 'vendor'))
      byResource.set(p.resourceAppId, [...(byResource.get(p.resourceAppId) ?? []), { id: p.id, type: p.type }]);
    const requiredResourceAccess = [...byResource].map(([resourceAppId, resourceAccess]) => ({
      resourceAppId,
      resourceAccess,
    }));
    const { run } = await withGraph(
      dir({ id: 'a', appId: 'x', displayName: 'Mail Connector', requiredResourceAccess }),
      ['app-registration'],
      { clientSecret: 'connector-secret-value-0123456789' },
    );
    const r = run.get('app-registration')!;
    expect([r.status, r.code]).toEqual(['pass', 'REGISTRATION_OK']);
    expect(r.evidence.secrets).toBeNull();
  });
});
