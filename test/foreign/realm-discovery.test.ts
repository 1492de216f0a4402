// The user realm endpoint missing (404, an HTML page), empty or slow, and OIDC discovery documents that differ from the
// emulator's: user-realm says it could not tell (never a fail that stops ROPC), ropc-token still makes its one attempt,
// and tenant-discovery judges the cloud from what the document holds.
import { afterAll, describe, expect, it } from 'vitest';
import {
  discoveryDoc,
  runAgainst,
  startFakeM365,
  TENANT_ID,
  tokenPosts,
  type FakeAnswer,
  type FakeServer,
} from './helpers/fake-m365.js';

const servers: FakeServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function withRealm(answer: FakeAnswer, timeoutMs?: number) {
  const fake = await startFakeM365((req) => (req.path.startsWith('/common/userrealm/') ? answer : undefined));
  servers.push(fake);
  const run = await runAgainst(fake, { only: ['user-realm', 'ropc-token'], timeoutMs });
  return { realm: run.get('user-realm')!, ropc: run.get('ropc-token')!, posts: tokenPosts(fake).length };
}

describe('user-realm when the realm endpoint is not what Entra ID serves', { timeout: 30_000 }, () => {
  it.each<[string, FakeAnswer]>([
    ['404 with an HTML page', { status: 404, body: '<html><body><h1>404 Not Found</h1></body></html>' }],
    ['404 with an empty JSON body', { status: 404, body: {} }],
    ['200 with an HTML page', { status: 200, body: '<!DOCTYPE html><html><body>Sign in</body></html>' }],
    ['200 with a JSON object naming no account type', { status: 200, body: { Login: 'mailer@fabrikam.example' } }],
    ['500', { status: 500, body: '<html>Internal Server Error</html>' }],
  ])('%s: not a fail, and the one ROPC attempt is made', async (_name, answer) => {
    const { realm, ropc, posts } = await withRealm(answer);
    // "Could not tell": an error result naming the server's answer, which gates nothing.
    expect(realm.status).toBe('error');
    expect(realm.code).toMatch(/^(SERVER_ERROR|BAD_RESPONSE)$/);
    expect([ropc.status, ropc.code]).toEqual(['pass', 'ROPC_OK']);
    expect(posts).toBe(1);
  });

  it('slower than the time limit: user-realm gives up, ropc-token still tries once', async () => {
    const { realm, ropc, posts } = await withRealm(
      { delayMs: 6_000, body: { NameSpaceType: 'Managed', DomainName: 'fabrikam.example' } },
      2_500,
    );
    expect(['error', 'skip', 'warn']).toContain(realm.status);
    expect([ropc.status, ropc.code]).toEqual(['pass', 'ROPC_OK']);
    expect(posts).toBe(1);
  });

  it('the api-version 1.0 shape (account_type, domain_name) is read', async () => {
    const { realm } = await withRealm({
      body: {
        ver: '1.0',
        account_type: 'Managed',
        domain_name: 'fabrikam.example',
        cloud_instance_name: 'microsoftonline.com',
        cloud_audience_urn: 'urn:federation:MicrosoftOnline',
      },
    });
    expect([realm.status, realm.code]).toEqual(['pass', 'MANAGED_USER']);
  });

  it('Entra\'s own "Unknown" still stops ROPC (the domain is not known)', async () => {
    const { realm, posts } = await withRealm({
      body: { NameSpaceType: 'Unknown', Login: 'mailer@fabrikam.example', DomainName: 'fabrikam.example' },
    });
    expect([realm.status, realm.code]).toEqual(['fail', 'UNKNOWN_REALM']);
    expect(posts).toBe(0);
  });
});

async function withDiscovery(doc: (origin: string) => Record<string, unknown>, inputs = {}) {
  let origin = '';
  const fake = await startFakeM365((req) =>
    req.path.endsWith('/openid-configuration') ? { body: doc(origin) } : undefined,
  );
  origin = fake.origin;
  servers.push(fake);
  const run = await runAgainst(fake, { only: ['tenant-discovery', 'ropc-token'], inputs });
  return { disc: run.get('tenant-discovery')!, ropc: run.get('ropc-token')!, posts: tokenPosts(fake).length };
}

describe("tenant-discovery and ropc-token on discovery documents unlike the emulator's", { timeout: 30_000 }, () => {
  it('extra fields and missing optional ones (no region, no cloud_instance_name, no msgraph_host, no device endpoint)', async () => {
    const { disc, ropc, posts } = await withDiscovery((o) => {
      const d = discoveryDoc(o, {
        kerberos_endpoint: `${o}/${TENANT_ID}/kerberos`,
        frontchannel_logout_supported: true,
        http_logout_supported: true,
        claims_supported: ['sub', 'iss'],
        rbac_url: 'https://pas.windows.net',
      });
      for (const k of [
        'tenant_region_scope',
        'cloud_instance_name',
        'msgraph_host',
        'cloud_graph_host_name',
        'device_authorization_endpoint',
        'userinfo_endpoint',
      ])
        delete d[k];
      return d;
    });
    expect([disc.status, disc.code]).toEqual(['pass', 'TENANT_FOUND']);
    expect([ropc.status, ropc.code, posts]).toEqual(['pass', 'ROPC_OK', 1]);
  });

  it("the issuer on Microsoft's host while token_endpoint is on the configured host: the POST goes to the configured host", async () => {
    const { disc, ropc, posts } = await withDiscovery((o) =>
      discoveryDoc(o, { issuer: `https://login.microsoftonline.com/${TENANT_ID}/v2.0` }),
    );
    expect([disc.status, disc.code]).toEqual(['pass', 'TENANT_FOUND']);
    expect([ropc.status, ropc.code, posts]).toEqual(['pass', 'ROPC_OK', 1]);
  });

  it('a v1-style token_endpoint path on the configured host is where the POST goes', async () => {
    const { ropc, posts } = await withDiscovery((o) =>
      discoveryDoc(o, { token_endpoint: `${o}/${TENANT_ID}/oauth2/v2.0/token?x-client=1` }),
    );
    expect([ropc.status, ropc.code, posts]).toEqual(['pass', 'ROPC_OK', 1]);
  });

  it.each([
    ['microsoftonline.us', 'USGov', undefined, 'usgov'],
    ['microsoftonline.us', 'USGov', 'DOD', 'usgovdod'],
    ['partner.microsoftonline.cn', 'AS', undefined, 'china'],
    ['MicrosoftOnline.US', 'USGov', undefined, 'usgov'],
  ])(
    'cloud_instance_name %s (region %s, sub-scope %s) on the global cloud: WRONG_CLOUD naming --cloud %s',
    async (instance, region, sub, cloud) => {
      const { disc } = await withDiscovery((o) =>
        discoveryDoc(o, {
          cloud_instance_name: instance,
          tenant_region_scope: region,
          ...(sub ? { tenant_region_sub_scope: sub } : {}),
        }),
      );
      expect([disc.status, disc.code]).toEqual(['fail', 'WRONG_CLOUD']);
      expect(disc.remediation).toContain(`--cloud ${cloud}`);
    },
  );

  it.each([['WW'], ['NA'], ['EU'], ['AS'], ['OC']])(
    'global tenant with tenant_region_scope %s passes',
    async (region) => {
      const { disc } = await withDiscovery((o) =>
        discoveryDoc(o, { tenant_region_scope: region, tenant_region_sub_scope: region === 'NA' ? 'GCC' : undefined }),
      );
      expect([disc.status, disc.code]).toEqual(['pass', 'TENANT_FOUND']);
    },
  );
});
