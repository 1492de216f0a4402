// The emulated Entra ID over raw HTTPS and curl: discovery, keys, userrealm, every token-endpoint error in
// Entra's order and body shape, token claims, refresh tokens and the device-code flow.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createPublicKey } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { healthyTenant } from '../../src/emulator/tenant.js';
import { verifyJwt } from '../../src/emulator/jwt.js';
import { claimsOf, headerOf, httpsRequest, IMAP_SCOPES, postForm } from './helpers.js';

const run = promisify(execFile);
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

const tokenUrl = (tenant = e.credentials.tenantId) => `${e.authorityHost}/${tenant}/oauth2/v2.0/token`;
const ropcForm = (over: Record<string, string> = {}) => ({
  grant_type: 'password',
  client_id: e.credentials.clientId,
  client_secret: e.credentials.clientSecret,
  username: e.credentials.username,
  password: e.credentials.password,
  scope: IMAP_SCOPES,
  ...over,
});
const ccForm = (over: Record<string, string> = {}) => ({
  grant_type: 'client_credentials',
  client_id: e.credentials.clientId,
  client_secret: e.credentials.clientSecret,
  scope: 'https://outlook.office365.com/.default',
  ...over,
});

describe('OIDC discovery and keys', () => {
  it('answers v2 discovery by tenant id and by domain with the tenant-resolved endpoints', async () => {
    for (const seg of [e.credentials.tenantId, e.credentials.domain]) {
      const r = await httpsRequest(`${e.authorityHost}/${seg}/v2.0/.well-known/openid-configuration`, e.caPem);
      expect(r.status).toBe(200);
      const tid = e.credentials.tenantId;
      expect(r.json).toMatchObject({
        issuer: `${e.authorityHost}/${tid}/v2.0`,
        token_endpoint: `${e.authorityHost}/${tid}/oauth2/v2.0/token`,
        authorization_endpoint: `${e.authorityHost}/${tid}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${e.authorityHost}/${tid}/oauth2/v2.0/devicecode`,
        jwks_uri: `${e.authorityHost}/${tid}/discovery/v2.0/keys`,
        end_session_endpoint: `${e.authorityHost}/${tid}/oauth2/v2.0/logout`,
        tenant_region_scope: 'NA',
        cloud_instance_name: 'microsoftonline.com',
        cloud_graph_host_name: 'graph.windows.net',
        msgraph_host: 'graph.microsoft.com',
        rbac_url: 'https://pas.windows.net',
        request_uri_parameter_supported: false,
        frontchannel_logout_supported: true,
        http_logout_supported: true,
        id_token_signing_alg_values_supported: ['RS256'],
        subject_types_supported: ['pairwise'],
      });
      for (const k of ['userinfo_endpoint', 'response_types_supported', 'scopes_supported', 'claims_supported'])
        expect(r.json).toHaveProperty(k);
      expect(r.json).not.toHaveProperty('tenant_region_sub_scope');
    }
  });

  it('answers the v1 form with the sts.windows.net issuer', async () => {
    const r = await httpsRequest(
      `${e.authorityHost}/${e.credentials.domain}/.well-known/openid-configuration`,
      e.caPem,
    );
    expect(r.json.issuer).toBe(`https://sts.windows.net/${e.credentials.tenantId}/`);
    expect(r.json.token_endpoint).toBe(`${e.authorityHost}/${e.credentials.tenantId}/oauth2/token`);
  });

  it('reports the cloud and region of a GCC High tenant (wrong-cloud)', async () => {
    Object.assign(e.tenant, {
      cloudInstanceName: 'microsoftonline.us',
      tenantRegionScope: 'USGov',
      tenantRegionSubScope: 'DODCON',
    });
    const r = await httpsRequest(
      `${e.authorityHost}/${e.credentials.domain}/v2.0/.well-known/openid-configuration`,
      e.caPem,
    );
    expect(r.json).toMatchObject({
      cloud_instance_name: 'microsoftonline.us',
      tenant_region_scope: 'USGov',
      tenant_region_sub_scope: 'DODCON',
      msgraph_host: 'graph.microsoft.us',
    });
  });

  it('answers an unknown tenant with AADSTS90002 in Entra error shape', async () => {
    const r = await httpsRequest(
      `${e.authorityHost}/m365doctor-typo.onmicrosoft.com/v2.0/.well-known/openid-configuration`,
      e.caPem,
    );
    expect(r.status).toBe(400);
    expect(r.json.error_codes).toEqual([90002]);
    expect(r.json.error_description).toMatch(
      /^AADSTS90002: Tenant 'm365doctor-typo.onmicrosoft.com' not found\. Check to make sure you have the correct tenant ID and are signing into the correct cloud\./,
    );
    expect(r.json.error_description).toMatch(
      /\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: [0-9a-f-]{36}\r\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/,
    );
    expect(r.json.error_uri).toBe('https://login.microsoftonline.com/error?code=90002');
    for (const k of ['timestamp', 'trace_id', 'correlation_id']) expect(typeof r.json[k]).toBe('string');
  });

  it('publishes a JWKS whose key verifies issued tokens (kid = x5t)', async () => {
    const keys = await httpsRequest(`${e.authorityHost}/${e.credentials.tenantId}/discovery/v2.0/keys`, e.caPem);
    const [jwk] = keys.json.keys;
    expect(jwk).toMatchObject({ kty: 'RSA', use: 'sig', kid: e.signingKey.kid, x5t: e.signingKey.kid, e: 'AQAB' });
    const token = (await postForm(tokenUrl(), e.caPem, ccForm())).json.access_token as string;
    expect(headerOf(token)).toMatchObject({ typ: 'JWT', alg: 'RS256', kid: jwk.kid, x5t: jwk.x5t });
    expect(verifyJwt(token, createPublicKey({ key: jwk, format: 'jwk' })).ok).toBe(true);
  });
});

describe('userrealm', () => {
  it('tells managed, federated and unknown domains apart (v2.0 and v1.0)', async () => {
    const upn = e.credentials.username;
    const v2 = await httpsRequest(
      `${e.authorityHost}/common/userrealm/${encodeURIComponent(upn)}?api-version=2.0`,
      e.caPem,
    );
    expect(v2.json).toMatchObject({
      NameSpaceType: 'Managed',
      Login: upn,
      DomainName: e.credentials.domain,
      cloud_instance_name: 'microsoftonline.com',
      FederationBrandName: 'M365 Doctor Demo',
    });
    const v1 = await httpsRequest(
      `${e.authorityHost}/common/userrealm/${encodeURIComponent(upn)}?api-version=1.0`,
      e.caPem,
    );
    expect(v1.json).toMatchObject({
      account_type: 'Managed',
      domain_name: e.credentials.domain,
      cloud_audience_urn: 'urn:federation:MicrosoftOnline',
    });

    e.tenant.users[0].namespaceType = 'Federated';
    const fed2 = await httpsRequest(
      `${e.authorityHost}/common/userrealm/${encodeURIComponent(upn)}?api-version=2.0`,
      e.caPem,
    );
    expect(fed2.json).toMatchObject({ NameSpaceType: 'Federated', federation_protocol: 'WSTrust' });
    expect(fed2.json.AuthURL).toMatch(/^https:\/\/.+\/adfs\/ls\//);
    const fed1 = await httpsRequest(
      `${e.authorityHost}/common/userrealm/${encodeURIComponent(upn)}?api-version=1.0`,
      e.caPem,
    );
    expect(fed1.json).toMatchObject({ account_type: 'Federated', federation_protocol: 'WSTrust' });
    expect(fed1.json.federation_active_auth_url).toMatch(/usernamemixed$/);
    expect(fed1.json.federation_metadata_url).toMatch(/mex$/);

    const unknown = await httpsRequest(
      `${e.authorityHost}/common/userrealm/someone%40example.org?api-version=2.0`,
      e.caPem,
    );
    expect(unknown.json.NameSpaceType).toBe('Unknown');
  });

  it('answers personal Microsoft account domains from the consumer realm, and flags viral directories', async () => {
    const realm = (upn: string, v: string) =>
      httpsRequest(`${e.authorityHost}/common/userrealm/${encodeURIComponent(upn)}?api-version=${v}`, e.caPem);
    expect((await realm('someone@outlook.com', '2.0')).json).toMatchObject({
      NameSpaceType: 'Managed',
      DomainName: 'outlook.com',
      ConsumerDomain: true,
    });
    expect((await realm('someone@hotmail.com', '1.0')).json).toMatchObject({
      account_type: 'MSA',
      domain_name: 'hotmail.com',
    });
    const upn = e.credentials.username;
    expect((await realm(upn, '2.0')).json.IsViral).toBeUndefined();
    for (const d of e.tenant.domains) d.isViral = true;
    expect((await realm(upn, '2.0')).json).toMatchObject({
      NameSpaceType: 'Managed',
      IsViral: true,
      ConsumerDomain: false,
    });
  });
});

describe('token endpoint errors, in Entra order', () => {
  const cases: Array<{
    name: string;
    tenant?: string;
    form: () => Record<string, string>;
    status: number;
    error: string;
    code: number;
    setup?: () => void;
  }> = [
    {
      name: 'unknown tenant',
      tenant: 'nobody.onmicrosoft.com',
      form: () => ropcForm(),
      status: 400,
      error: 'invalid_request',
      code: 90002,
    },
    {
      name: 'ROPC on /common',
      tenant: 'common',
      form: () => ropcForm(),
      status: 400,
      error: 'invalid_request',
      code: 9001023,
    },
    {
      name: 'missing scope',
      form: () => {
        const f = ropcForm();
        delete (f as Record<string, string>).scope;
        return f;
      },
      status: 400,
      error: 'invalid_request',
      code: 900144,
    },
    {
      name: 'unknown client (checked before the secret)',
      form: () => ropcForm({ client_id: '12345678-1234-1234-1234-123456789012', client_secret: 'x' }),
      status: 400,
      error: 'unauthorized_client',
      code: 700016,
    },
    {
      name: 'wrong secret',
      form: () => ropcForm({ client_secret: 'wrong', password: 'also wrong' }),
      status: 401,
      error: 'invalid_client',
      code: 7000215,
    },
    {
      name: 'expired secret',
      form: () => ccForm(),
      status: 401,
      error: 'invalid_client',
      code: 7000222,
      setup: () => {
        e.tenant.applications[0].passwordCredentials[0].endDateTime = new Date(Date.now() - 86_400_000).toISOString();
      },
    },
    {
      name: 'confidential app without secret',
      form: () => {
        const f = ropcForm();
        delete (f as Record<string, string>).client_secret;
        return f;
      },
      status: 401,
      error: 'invalid_client',
      code: 7000218,
    },
    {
      name: 'disabled service principal',
      form: () => ccForm(),
      status: 400,
      error: 'unauthorized_client',
      code: 7000112,
      setup: () => {
        e.tenant.servicePrincipals[0].accountEnabled = false;
      },
    },
    {
      name: 'two resources',
      form: () =>
        ropcForm({
          scope: 'https://outlook.office.com/IMAP.AccessAsUser.All https://graph.microsoft.com/User.Read',
          password: 'wrong',
        }),
      status: 400,
      error: 'invalid_scope',
      code: 700022,
    },
    {
      name: 'unknown resource',
      form: () => ccForm({ scope: 'https://unknown.example.com/.default' }),
      status: 400,
      error: 'invalid_resource',
      code: 500011,
    },
    {
      name: 'client credentials without .default',
      form: () => ccForm({ scope: 'https://outlook.office.com/IMAP.AccessAsUser.All' }),
      status: 400,
      error: 'invalid_scope',
      code: 1002012,
    },
    {
      name: 'user not found',
      form: () => ropcForm({ username: `nobody@${e.credentials.domain}` }),
      status: 400,
      error: 'invalid_grant',
      code: 50034,
    },
    {
      name: 'wrong password',
      form: () => ropcForm({ password: 'wrong' }),
      status: 400,
      error: 'invalid_grant',
      code: 50126,
    },
    {
      name: 'unsupported grant',
      form: () => ropcForm({ grant_type: 'authorization_code' }),
      status: 400,
      error: 'unsupported_grant_type',
      code: 70003,
    },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.status} ${c.error} AADSTS${c.code}`, async () => {
      c.setup?.();
      const r = await postForm(tokenUrl(c.tenant), e.caPem, c.form());
      expect(r.status).toBe(c.status);
      expect(r.json.error).toBe(c.error);
      expect(r.json.error_codes).toEqual([c.code]);
      expect(r.json.error_description.startsWith(`AADSTS${c.code}: `)).toBe(true);
    });
  }

  it('MFA via per-user MFA and security defaults as well as CA (50076, basic_action)', async () => {
    e.tenant.users[0].perUserMfa = true;
    let r = await postForm(tokenUrl(), e.caPem, ropcForm());
    expect([r.status, r.json.error, r.json.error_codes[0], r.json.suberror]).toEqual([
      400,
      'invalid_grant',
      50076,
      'basic_action',
    ]);
    e.tenant.users[0].perUserMfa = false;
    e.tenant.securityDefaultsEnabled = true;
    r = await postForm(tokenUrl(), e.caPem, ropcForm());
    expect(r.json.error_codes).toEqual([50076]);
  });

  it('a CA policy excluding the user does not apply', async () => {
    e.tenant.conditionalAccessPolicies.push({
      id: 'ca-x',
      displayName: 'block',
      state: 'enabled',
      grantControls: { operator: 'OR', builtInControls: ['block'] },
      conditions: {
        users: { includeUsers: ['All'], excludeUsers: [e.tenant.users[0].id] },
        applications: { includeApplications: ['All'], excludeApplications: [] },
        clientAppTypes: ['all'],
      },
    });
    expect((await postForm(tokenUrl(), e.caPem, ropcForm())).status).toBe(200);
  });

  it('consent given only as a Principal grant for this user is enough; for another user it is not', async () => {
    const grant = e.tenant.oauth2PermissionGrants[0];
    Object.assign(grant, { consentType: 'Principal', principalId: e.tenant.users[0].id });
    expect((await postForm(tokenUrl(), e.caPem, ropcForm())).status).toBe(200);
    grant.principalId = '00000000-0000-0000-0000-000000000001';
    const r = await postForm(tokenUrl(), e.caPem, ropcForm());
    expect([r.json.error_codes[0], r.json.suberror]).toEqual([65001, 'consent_required']);
  });

  it('bad input gets Entra answers, not crashes: JSON body, huge body, unknown path', async () => {
    const json = await httpsRequest(tokenUrl(), e.caPem, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ropcForm()),
    });
    expect([json.status, json.json.error_codes]).toEqual([400, [900144]]);
    expect(json.json.error_description).toContain("'grant_type'");
    const huge = await postForm(tokenUrl(), e.caPem, { ...ropcForm(), padding: 'x'.repeat(100_000) }).catch(
      (err: Error) => err,
    );
    // The emulator answers 413 (or the socket is cut while the client still writes); it keeps serving afterwards.
    if (!(huge instanceof Error)) expect(huge.status).toBe(413);
    expect((await postForm(tokenUrl(), e.caPem, ropcForm())).status).toBe(200);
    const badEscape = await httpsRequest(`${e.authorityHost}/%E0%A4%A/v2.0/.well-known/openid-configuration`, e.caPem);
    expect([badEscape.status, badEscape.json.error_codes]).toEqual([400, [90002]]);
    const unknown = await httpsRequest(`${e.authorityHost}/nothing/here`, e.caPem);
    expect([unknown.status, unknown.json.error]).toEqual([404, 'not_found']);
  });

  it('accepts the client secret by HTTP Basic', async () => {
    const { client_secret: secret, client_id: id, ...rest } = ccForm();
    const basic = Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64');
    const r = await postForm(tokenUrl(), e.caPem, rest, { authorization: `Basic ${basic}` });
    expect(r.status).toBe(200);
  });
});

describe('successful tokens', () => {
  it('ROPC: v1 access token for the named resource, scope with prefix, refresh/id token and client_info on request', async () => {
    const r = await postForm(
      tokenUrl(),
      e.caPem,
      ropcForm({ scope: `${IMAP_SCOPES} openid profile`, client_info: '1' }),
    );
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 });
    expect(r.json.scope.split(' ')).toEqual(
      expect.arrayContaining([
        'https://outlook.office.com/IMAP.AccessAsUser.All',
        'https://outlook.office.com/POP.AccessAsUser.All',
        'https://outlook.office.com/SMTP.Send',
        'offline_access',
      ]),
    );
    const user = e.tenant.users[0];
    const a = claimsOf(r.json.access_token);
    expect(a).toMatchObject({
      aud: 'https://outlook.office.com',
      iss: `https://sts.windows.net/${e.tenant.tenantId}/`,
      tid: e.tenant.tenantId,
      oid: user.id,
      upn: user.userPrincipalName,
      unique_name: user.userPrincipalName,
      name: user.displayName,
      appid: e.credentials.clientId,
      appidacr: '1',
      ver: '1.0',
      scp: 'IMAP.AccessAsUser.All POP.AccessAsUser.All SMTP.Send',
    });
    expect(a.exp - a.iat).toBeGreaterThanOrEqual(3600);
    expect(a.nbf).toBe(a.iat);
    expect(typeof a.sub).toBe('string');
    expect(a.roles).toBeUndefined();
    const id = claimsOf(r.json.id_token);
    expect(id).toMatchObject({
      aud: e.credentials.clientId,
      iss: `${e.authorityHost}/${e.tenant.tenantId}/v2.0`,
      oid: user.id,
      tid: e.tenant.tenantId,
      preferred_username: user.userPrincipalName,
      name: user.displayName,
    });
    expect(JSON.parse(Buffer.from(r.json.client_info, 'base64url').toString())).toEqual({
      uid: user.id,
      utid: e.tenant.tenantId,
    });
    expect(r.json.refresh_token).toMatch(/^1\.A[A-Za-z0-9_-]{40,}$/);

    const refreshed = await postForm(tokenUrl(), e.caPem, {
      grant_type: 'refresh_token',
      client_id: e.credentials.clientId,
      client_secret: e.credentials.clientSecret,
      refresh_token: r.json.refresh_token,
      scope: 'https://outlook.office.com/SMTP.Send offline_access',
    });
    expect(refreshed.status).toBe(200);
    expect(claimsOf(refreshed.json.access_token).scp).toBe('SMTP.Send');
    const bad = await postForm(tokenUrl(), e.caPem, {
      grant_type: 'refresh_token',
      client_id: e.credentials.clientId,
      client_secret: e.credentials.clientSecret,
      refresh_token: '1.Anot-a-token',
    });
    expect([bad.status, bad.json.error]).toEqual([400, 'invalid_grant']);
  });

  it('no refresh token, id token or client_info unless asked for', async () => {
    const r = await postForm(
      tokenUrl(),
      e.caPem,
      ropcForm({ scope: 'https://outlook.office.com/IMAP.AccessAsUser.All' }),
    );
    expect(Object.keys(r.json).sort()).toEqual(['access_token', 'expires_in', 'ext_expires_in', 'scope', 'token_type']);
  });

  it('app-only: aud of the named resource, oid = client SP, roles from app role assignments (omitted when none)', async () => {
    const sp = e.tenant.servicePrincipals.find((s) => s.appId === e.credentials.clientId)!;
    const graph = claimsOf(
      (await postForm(tokenUrl(), e.caPem, ccForm({ scope: 'https://graph.microsoft.com/.default' }))).json
        .access_token,
    );
    expect(graph).toMatchObject({
      aud: 'https://graph.microsoft.com',
      oid: sp.id,
      sub: sp.id,
      appid: e.credentials.clientId,
      appidacr: '1',
      roles: ['Mail.Send', 'User.Read.All'],
    });
    e.tenant.appRoleAssignments = [];
    const none = await postForm(tokenUrl(), e.caPem, ccForm());
    expect(none.status).toBe(200);
    expect(Object.keys(none.json).sort()).toEqual(['access_token', 'expires_in', 'ext_expires_in', 'token_type']);
    expect(claimsOf(none.json.access_token)).not.toHaveProperty('roles');
  });

  it("curl does the plain ROPC POST of Microsoft's instructions and gets a token", async () => {
    const c = e.credentials;
    const { stdout } = await run('curl', [
      '-sS',
      '--cacert',
      e.caFile,
      '-X',
      'POST',
      tokenUrl(),
      '-d',
      `client_id=${c.clientId}`,
      '--data-urlencode',
      `client_secret=${c.clientSecret}`,
      '--data-urlencode',
      `scope=${IMAP_SCOPES}`,
      '--data-urlencode',
      `username=${c.username}`,
      '--data-urlencode',
      `password=${c.password}`,
      '-d',
      'grant_type=password',
    ]);
    const body = JSON.parse(stdout);
    expect(body.token_type).toBe('Bearer');
    expect(verifyJwt(body.access_token, e.signingKey.publicKeyPem).ok).toBe(true);
  });

  it('curl refuses the emulator without its CA (TLS stays verified)', async () => {
    const err = await run('curl', ['-sS', `${e.authorityHost}/common/userrealm/x@y.z?api-version=2.0`]).then(
      () => undefined,
      (x: { code: number }) => x,
    );
    expect(err?.code).toBe(60);
  });
});

describe('device code over HTTP', () => {
  it('pending (70016) until the user code is posted to the deviceauth page, then a token for the named user', async () => {
    const c = e.credentials;
    e.tenant.users.push({
      ...e.tenant.users[0],
      id: '77777777-0000-0000-0000-000000000002',
      userPrincipalName: `admin@${c.domain}`,
      displayName: 'Admin',
    });
    const start = await postForm(`${e.authorityHost}/${c.tenantId}/oauth2/v2.0/devicecode`, e.caPem, {
      client_id: c.adminClientId,
      scope: 'https://graph.microsoft.com/.default offline_access',
    });
    expect(start.status).toBe(200);
    expect(start.json).toMatchObject({
      verification_uri: `${e.authorityHost}/common/oauth2/deviceauth`,
      interval: 5,
      expires_in: 900,
    });
    const poll = () =>
      postForm(tokenUrl(), e.caPem, {
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
        client_id: c.adminClientId,
        device_code: start.json.device_code,
      });
    const pending = await poll();
    expect([pending.status, pending.json.error, pending.json.error_codes[0]]).toEqual([
      400,
      'authorization_pending',
      70016,
    ]);

    const page = await httpsRequest(start.json.verification_uri, e.caPem);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const wrong = await postForm(start.json.verification_uri, e.caPem, { user_code: 'NOTACODE1' });
    expect(wrong.status).toBe(400);
    const ok = await postForm(start.json.verification_uri, e.caPem, {
      user_code: start.json.user_code.toLowerCase(),
      upn: `admin@${c.domain}`,
    });
    expect(ok.status).toBe(200);
    const done = await poll();
    expect(done.status).toBe(200);
    expect(claimsOf(done.json.access_token).upn).toBe(`admin@${c.domain}`);
    expect(done.json.refresh_token).toBeDefined();
    expect((await poll()).json.error).toBe('invalid_grant');
    expect(() => e.approveDeviceCode('NOPE')).toThrow(/no pending device code/);
  });

  it('a confidential app polling without its secret gets 7000218', async () => {
    const c = e.credentials;
    const start = await postForm(`${e.authorityHost}/${c.tenantId}/oauth2/v2.0/devicecode`, e.caPem, {
      client_id: c.clientId,
      scope: 'https://outlook.office.com/IMAP.AccessAsUser.All',
    });
    e.approveDeviceCode(start.json.user_code);
    const r = await postForm(tokenUrl(), e.caPem, {
      grant_type: 'device_code',
      client_id: c.clientId,
      device_code: start.json.device_code,
    });
    expect(r.json.error_codes).toEqual([7000218]);
  });
});
