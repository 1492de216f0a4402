// Every scenario of the table, as Entra ID and Graph answer it; plus the healthy tenant and tenant files.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { buildScenario, loadScenarioFile, SCENARIOS } from '../../src/emulator/scenarios.js';
import { healthyTenant } from '../../src/emulator/tenant.js';
import type { DemoCredentials } from '../../src/emulator/model.js';
import { appOnlyRequest, claimsOf, httpsRequest, postForm, ropcRequest } from './helpers.js';

const TABLE_NAMES = [
  'healthy',
  'wrong-password',
  'bad-secret',
  'expired-secret',
  'secret-expiring-soon',
  'app-not-in-tenant',
  'tenant-not-found',
  'wrong-cloud',
  'mfa-required',
  'conditional-access-blocked',
  'federated-user',
  'federated-user-hrd',
  'locked-user',
  'disabled-user',
  'password-expired',
  'user-not-found',
  'missing-permission',
  'smtp-send-not-consented',
  'app-only-ready',
  'no-admin-consent',
  'no-license',
  'not-business-standard',
  'smtp-auth-disabled-tenant',
  'smtp-auth-disabled-mailbox',
  'imap-disabled',
  'pop-disabled',
  'exchange-sp-missing',
  'exchange-sp-wrong-object-id',
  'no-mailbox-permission',
  'app-only-smtp-role-missing',
  'app-only-smtp-sp-missing',
  'app-only-smtp-wrong-object-id',
  'app-only-smtp-no-send-as',
  'app-only-smtp-rbac-out-of-scope',
  'app-only-rbac-scoped',
  'graph-throttled',
  'managed-mfa-report-only',
  'managed-mfa-enabled',
  'mfa-policy-excludes-user',
  'mfa-policy-other-apps',
  'guest-user',
  'passwordless-user',
  'assignment-required',
  'delegated-only-app',
  'security-defaults',
  'partial-consent',
  'upn-not-mail-address',
  'email-alternate-login-id',
];

describe('healthy tenant and scenario building', () => {
  it('healthyTenant() is a fresh deep copy each call', () => {
    const a = healthyTenant();
    const b = healthyTenant();
    a.tenant.users[0].mailbox!.imapEnabled = false;
    a.tenant.applications[0].passwordCredentials.pop();
    expect(b.tenant.users[0].mailbox!.imapEnabled).toBe(true);
    expect(b.tenant.applications[0].passwordCredentials).toHaveLength(1);
  });

  it('has the healthy shape the brief describes', () => {
    const { tenant: t, credentials: c } = healthyTenant();
    const app = t.applications.find((x) => x.appId === c.clientId)!;
    const sp = t.servicePrincipals.find((x) => x.appId === c.clientId)!;
    expect(app.id).not.toBe(sp.id);
    expect(app).toMatchObject({
      displayName: 'Mail Connector',
      isFallbackPublicClient: false,
      signInAudience: 'AzureADMyOrg',
    });
    expect(Date.parse(app.passwordCredentials[0].endDateTime) - Date.now()).toBeGreaterThan(360 * 86_400_000);
    expect(t.exchange.servicePrincipals).toEqual([expect.objectContaining({ appId: c.clientId, objectId: sp.id })]);
    expect(t.exchange.mailboxPermissions).toEqual([
      { mailbox: c.username, principal: sp.id, accessRights: ['FullAccess'] },
    ]);
    expect(t.users[0].mailbox).toEqual({ imapEnabled: true, popEnabled: true, smtpClientAuthenticationDisabled: null });
    expect(t.subscribedSkus.map((s) => s.skuPartNumber)).toEqual(['O365_BUSINESS_PREMIUM']);
    expect(t).toMatchObject({
      securityDefaultsEnabled: false,
      conditionalAccessPolicies: [],
      cloudInstanceName: 'microsoftonline.com',
      tenantRegionScope: 'NA',
    });
  });

  it('implements every row of the scenario table, and nothing else', () => {
    expect(SCENARIOS.map((s) => s.name).sort()).toEqual([...TABLE_NAMES].sort());
  });

  it('an unknown scenario is a ConfigError listing the valid names', () => {
    let err: unknown;
    try {
      buildScenario('nope');
    } catch (x) {
      err = x;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).field).toBe('scenario');
    for (const name of TABLE_NAMES) expect((err as Error).message).toContain(name);
  });
});

describe('tenant files (--scenario-file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'm365-doctor-tenant-file-'));
  const write = (name: string, data: unknown) => {
    const p = join(dir, name);
    writeFileSync(p, typeof data === 'string' ? data : JSON.stringify(data));
    return p;
  };

  it('loads a valid file (a scenario serialised as JSON)', () => {
    const scenario = buildScenario('mfa-required');
    const loaded = loadScenarioFile(write('ok.json', scenario));
    expect(loaded).toEqual(scenario);
  });

  it('every built-in scenario, written as JSON, is a valid tenant file (schema and model agree)', () => {
    for (const name of TABLE_NAMES) {
      const scenario = buildScenario(name);
      // JSON has no Infinity: a tenant file says -1 for "throttle every request".
      if (scenario.tenant.graphThrottle) scenario.tenant.graphThrottle.requests = -1;
      expect(() => loadScenarioFile(write(`${name}.json`, scenario)), name).not.toThrow();
    }
  });

  it('-1 throttles every Graph request', () => {
    const s = buildScenario('healthy');
    s.tenant.graphThrottle = { requests: -1, retryAfterSeconds: 2 };
    expect(loadScenarioFile(write('throttle.json', s)).tenant.graphThrottle).toEqual({
      requests: Infinity,
      retryAfterSeconds: 2,
    });
  });

  const bad: Array<[string, (d: any) => void, RegExp]> = [
    [
      'a wrong type',
      (d) => {
        d.tenant.users[0].accountEnabled = 'yes';
      },
      /scenario-file tenant\.users\[0\]\.accountEnabled: must be boolean/,
    ],
    [
      'a missing field',
      (d) => {
        delete d.credentials.password;
      },
      /scenario-file credentials\.password: is missing/,
    ],
    [
      'an unknown field',
      (d) => {
        d.tenant.users[0].isAdmin = true;
      },
      /scenario-file tenant\.users\[0\]\.isAdmin: is not a known property/,
    ],
    [
      'a bad enum',
      (d) => {
        d.tenant.cloudInstanceName = 'microsoftonline.de';
      },
      /scenario-file tenant\.cloudInstanceName: must be one of/,
    ],
    [
      'a bad GUID',
      (d) => {
        d.tenant.tenantId = 'not-a-guid';
      },
      /scenario-file tenant\.tenantId: must match pattern/,
    ],
  ];
  for (const [what, mutate, message] of bad) {
    it(`names the field on ${what}`, () => {
      const data = JSON.parse(JSON.stringify(healthyTenant()));
      mutate(data);
      expect(() => loadScenarioFile(write(`${what}.json`, data))).toThrow(message);
    });
  }

  it('reports unreadable files and broken JSON as ConfigErrors', () => {
    expect(() => loadScenarioFile(join(dir, 'missing.json'))).toThrow(ConfigError);
    expect(() => loadScenarioFile(write('broken.json', '{"tenant": '))).toThrow(/not valid JSON/);
  });
});

interface Expect {
  status: number;
  code?: number;
  error?: string;
  suberror?: string;
}
interface Row {
  discovery?: number;
  ropc: Expect;
  appOnly: Expect & { roles?: string[] | null };
  graphUser?: number;
  check?: (e: RunningEmulator, c: DemoCredentials) => Promise<void>;
}
const OK: Expect = { status: 200 };
const APP_OK = { status: 200, roles: ['IMAP.AccessAsApp', 'POP.AccessAsApp'] };
const APP_SMTP = { status: 200, roles: ['IMAP.AccessAsApp', 'POP.AccessAsApp', 'SMTP.SendAsApp'] };
const fail = (status: number, error: string, code: number, suberror?: string): Expect => ({
  status,
  error,
  code,
  suberror,
});

const ROWS: Record<string, Row> = {
  healthy: { ropc: OK, appOnly: APP_OK },
  'wrong-password': { ropc: fail(400, 'invalid_grant', 50126), appOnly: APP_OK },
  'bad-secret': { ropc: fail(401, 'invalid_client', 7000215), appOnly: fail(401, 'invalid_client', 7000215) },
  'expired-secret': { ropc: fail(401, 'invalid_client', 7000222), appOnly: fail(401, 'invalid_client', 7000222) },
  'secret-expiring-soon': { ropc: OK, appOnly: APP_OK },
  'app-not-in-tenant': {
    ropc: fail(400, 'unauthorized_client', 700016),
    appOnly: fail(400, 'unauthorized_client', 700016),
  },
  'tenant-not-found': {
    discovery: 400,
    ropc: fail(400, 'invalid_request', 90002),
    appOnly: fail(400, 'invalid_request', 90002),
  },
  'wrong-cloud': {
    ropc: OK,
    appOnly: APP_OK,
    check: async (e, c) => {
      const d = await httpsRequest(`${e.authorityHost}/${c.tenantId}/v2.0/.well-known/openid-configuration`, e.caPem);
      expect(d.json).toMatchObject({
        cloud_instance_name: 'microsoftonline.us',
        tenant_region_scope: 'USGov',
        tenant_region_sub_scope: 'DODCON',
      });
    },
  },
  'mfa-required': {
    ropc: fail(400, 'invalid_grant', 50076, 'basic_action'),
    appOnly: APP_OK,
    check: async (e, c) => {
      const r = await ropc(e, c);
      expect(JSON.parse(r.json.claims)).toEqual({
        access_token: { capolids: { essential: true, values: [e.tenant.conditionalAccessPolicies[0].id] } },
      });
    },
  },
  'conditional-access-blocked': { ropc: fail(400, 'invalid_grant', 53003), appOnly: APP_OK },
  'federated-user': {
    ropc: fail(400, 'invalid_grant', 50126),
    appOnly: APP_OK,
    check: async (e, c) => {
      const r = await httpsRequest(
        `${e.authorityHost}/common/userrealm/${encodeURIComponent(c.username)}?api-version=2.0`,
        e.caPem,
      );
      expect(r.json).toMatchObject({ NameSpaceType: 'Federated', FederationBrandName: 'M365 Doctor Demo' });
      expect(r.json.AuthURL).toBeDefined();
    },
  },
  // With password hash sync and the HRD policy (AllowCloudPasswordValidation), Entra validates the password itself.
  'federated-user-hrd': { ropc: OK, appOnly: APP_OK },
  'locked-user': { ropc: fail(400, 'invalid_grant', 50053), appOnly: APP_OK },
  'disabled-user': { ropc: fail(400, 'invalid_grant', 50057), appOnly: APP_OK },
  'password-expired': {
    ropc: fail(401, 'user_password_expired', 50055, 'user_password_expired'),
    appOnly: APP_OK,
    check: async (e, c) => {
      expect((await ropc(e, c)).json.password_change_url).toMatch(/^https:\/\//);
    },
  },
  'user-not-found': { ropc: fail(400, 'invalid_grant', 50034), appOnly: APP_OK, graphUser: 404 },
  'missing-permission': { ropc: OK, appOnly: { status: 200, roles: null } },
  'smtp-send-not-consented': {
    ropc: OK,
    appOnly: APP_OK,
    check: async (e, c) => {
      const r = await ropc(e, c);
      expect(claimsOf(r.json.access_token as string).scp).toBe('IMAP.AccessAsUser.All POP.AccessAsUser.All');
    },
  },
  'app-only-ready': {
    ropc: OK,
    appOnly: { status: 200, roles: ['IMAP.AccessAsApp', 'POP.AccessAsApp', 'SMTP.SendAsApp'] },
  },
  'no-admin-consent': {
    ropc: fail(400, 'invalid_grant', 65001, 'consent_required'),
    appOnly: { status: 200, roles: null },
  },
  'no-license': {
    ropc: OK,
    appOnly: APP_OK,
    check: async (e, c) => {
      expect((await graphUser(e, c)).json.assignedLicenses).toEqual([]);
    },
  },
  'not-business-standard': {
    ropc: OK,
    appOnly: APP_OK,
    check: async (e, c) => {
      expect((await graphUser(e, c)).json.assignedLicenses).toEqual([
        { skuId: '6fd2c87f-b296-42f0-b197-1e91e994b900', disabledPlans: [] },
      ]);
    },
  },
  'smtp-auth-disabled-tenant': { ropc: OK, appOnly: APP_OK },
  'smtp-auth-disabled-mailbox': { ropc: OK, appOnly: APP_OK },
  'imap-disabled': { ropc: OK, appOnly: APP_OK },
  'pop-disabled': { ropc: OK, appOnly: APP_OK },
  'exchange-sp-missing': { ropc: OK, appOnly: APP_OK },
  'exchange-sp-wrong-object-id': { ropc: OK, appOnly: APP_OK },
  'no-mailbox-permission': { ropc: OK, appOnly: APP_OK },
  // SMTP.SendAsApp listed on the app but not consented: the token carries only the consented roles.
  'app-only-smtp-role-missing': { ropc: OK, appOnly: APP_OK },
  'app-only-smtp-sp-missing': { ropc: OK, appOnly: APP_SMTP },
  'app-only-smtp-wrong-object-id': { ropc: OK, appOnly: APP_SMTP },
  'app-only-smtp-no-send-as': { ropc: OK, appOnly: APP_SMTP },
  'app-only-smtp-rbac-out-of-scope': { ropc: OK, appOnly: APP_SMTP },
  // RBAC for Applications only: SMTP.SendAsApp is not in Entra, so the token carries the reading roles alone.
  'app-only-rbac-scoped': { ropc: OK, appOnly: APP_OK },
  'graph-throttled': { ropc: OK, appOnly: APP_OK, graphUser: 429 },
  'managed-mfa-report-only': {
    ropc: OK,
    appOnly: APP_OK,
    check: async (e, c) => {
      const r = await adminGet(e, c, '/identity/conditionalAccess/policies');
      expect(r.status).toBe(200);
      const policies = r.json.value as Array<Record<string, any>>;
      expect(policies.map((p) => p.displayName).sort()).toEqual([
        'Microsoft-managed: Block device code flow',
        'Microsoft-managed: Block legacy authentication',
        'Microsoft-managed: Multifactor authentication for all users',
      ]);
      for (const p of policies) {
        expect(p.state).toBe('enabledForReportingButNotEnforced');
        expect(Date.now() - Date.parse(p.createdDateTime)).toBeGreaterThan(9 * 86_400_000);
        expect(p.conditions.users).toMatchObject({
          includeUsers: ['All'],
          excludeUsers: [],
          includeGroups: [],
          excludeGroups: [],
        });
      }
      expect(policies.find((p) => p.displayName.endsWith('device code flow'))!.conditions.authenticationFlows).toEqual({
        transferMethods: 'deviceCodeFlow',
      });
    },
  },
  'managed-mfa-enabled': {
    ropc: fail(400, 'invalid_grant', 50076, 'basic_action'),
    appOnly: APP_OK,
    check: async (e, c) => {
      const managedMfa = e.tenant.conditionalAccessPolicies.find((p) => p.displayName.endsWith('for all users'))!;
      const r = await adminGet(e, c, '/identity/conditionalAccess/policies');
      const policies = r.json.value as Array<Record<string, any>>;
      expect(policies.find((p) => p.id === managedMfa.id)).toMatchObject({
        displayName: 'Microsoft-managed: Multifactor authentication for all users',
        state: 'enabled',
        grantControls: { builtInControls: ['mfa'] },
      });
      expect(policies.filter((p) => p.state === 'enabledForReportingButNotEnforced')).toHaveLength(2);
      // Entra names the enforcing policy in the claims challenge, as for any MFA policy.
      expect(JSON.parse((await ropc(e, c)).json.claims)).toEqual({
        access_token: { capolids: { essential: true, values: [managedMfa.id] } },
      });
    },
  },
  'mfa-policy-excludes-user': {
    ropc: OK,
    appOnly: APP_OK,
    check: async (e, c) => {
      const r = await adminGet(e, c, `/users/${encodeURIComponent(c.username)}/transitiveMemberOf?$select=id`);
      expect(r.json.value).toEqual([{ id: '6e1f0c2a-5b7d-4c39-9a1e-0d2f4b8c7a01' }]);
    },
  },
  'mfa-policy-other-apps': { ropc: OK, appOnly: APP_OK },
  'guest-user': {
    ropc: fail(400, 'invalid_grant', 50020),
    appOnly: APP_OK,
    check: async (e, c) => {
      expect((await graphUser(e, c)).json.assignedLicenses).toEqual([]);
    },
  },
  'passwordless-user': { ropc: fail(400, 'invalid_grant', 50056), appOnly: APP_OK },
  'assignment-required': {
    ropc: fail(400, 'invalid_grant', 50105),
    appOnly: APP_OK,
    check: async (e, c) => {
      // Once the user is assigned, the same sign-in works.
      e.tenant.servicePrincipals.find((s) => s.appId === c.clientId)!.assignedUserIds = [e.tenant.users[0].id];
      expect((await ropc(e, c)).status).toBe(200);
    },
  },
  'delegated-only-app': { ropc: OK, appOnly: { status: 200, roles: null } },
  'security-defaults': { ropc: fail(400, 'invalid_grant', 50076, 'basic_action'), appOnly: APP_OK },
  'partial-consent': { ropc: fail(400, 'invalid_grant', 65001, 'consent_required'), appOnly: APP_OK },
  'upn-not-mail-address': {
    ropc: OK,
    appOnly: APP_OK,
    check: async (e, c) => {
      expect(
        (await adminGet(e, c, `/users/${encodeURIComponent(c.username)}?$select=mail,proxyAddresses`)).json,
      ).toMatchObject({
        mail: 'mail.connector@m365doctordemo.onmicrosoft.com',
        proxyAddresses: ['SMTP:mail.connector@m365doctordemo.onmicrosoft.com'],
      });
    },
  },
  // Entra signs the mail address in (AlternateIdLogin) and names the UPN in the token; Graph's /users/{x} takes only the UPN.
  'email-alternate-login-id': {
    ropc: OK,
    appOnly: APP_OK,
    graphUser: 404,
    check: async (e, c) => {
      expect(claimsOf((await ropc(e, c)).json.access_token as string).upn).toBe(
        'connector@m365doctordemo.onmicrosoft.com',
      );
      const byMail = await adminGet(
        e,
        c,
        `/users?$filter=${encodeURIComponent(`mail eq '${c.username}'`)}&$select=userPrincipalName`,
      );
      expect(byMail.json.value).toEqual([
        expect.objectContaining({ userPrincipalName: 'connector@m365doctordemo.onmicrosoft.com' }),
      ]);
      e.tenant.alternateIdLogin = false;
      expect((await ropc(e, c)).json.error_codes).toEqual([50034]);
    },
  },
};

let e: RunningEmulator;
beforeAll(async () => {
  e = await startEmulator();
});
afterAll(async () => {
  await e.stop();
});

const tokenUrl = (tenant: string) => `${e.authorityHost}/${tenant}/oauth2/v2.0/token`;
const ropc = (em: RunningEmulator, c: DemoCredentials) => ropcRequest(em, c);
const appOnly = (em: RunningEmulator, c: DemoCredentials) => appOnlyRequest(em, c);
/** The directory reader reads the user the connector names (always against the real tenant id). */
async function graphUser(em: RunningEmulator, c: DemoCredentials) {
  const admin = await postForm(tokenUrl(em.tenant.tenantId), em.caPem, {
    grant_type: 'client_credentials',
    client_id: c.adminClientId,
    client_secret: c.adminClientSecret,
    scope: 'https://graph.microsoft.com/.default',
  });
  return httpsRequest(
    `${em.graphUrl}/v1.0/users/${encodeURIComponent(c.username)}?$select=id,assignedLicenses,accountEnabled`,
    em.caPem,
    { headers: { authorization: `Bearer ${admin.json.access_token}` } },
  );
}

async function adminGet(em: RunningEmulator, c: DemoCredentials, path: string) {
  const admin = await postForm(tokenUrl(em.tenant.tenantId), em.caPem, {
    grant_type: 'client_credentials',
    client_id: c.adminClientId,
    client_secret: c.adminClientSecret,
    scope: 'https://graph.microsoft.com/.default',
  });
  return httpsRequest(`${em.graphUrl}/v1.0${path}`, em.caPem, {
    headers: { authorization: `Bearer ${admin.json.access_token}` },
  });
}

function expectAnswer(r: { status: number; json: any }, want: Expect): void {
  expect(r.status).toBe(want.status);
  if (want.status === 200) {
    expect(typeof r.json.access_token).toBe('string');
    return;
  }
  expect(r.json.error).toBe(want.error);
  expect(r.json.error_codes).toEqual([want.code]);
  if (want.suberror) expect(r.json.suberror).toBe(want.suberror);
  else expect(r.json).not.toHaveProperty('suberror');
}

describe('every scenario as Entra ID and Graph answer it', () => {
  for (const name of TABLE_NAMES) {
    it(name, async () => {
      const row = ROWS[name];
      const { tenant, credentials: c } = buildScenario(name);
      e.tenant = tenant;
      const disc = await httpsRequest(
        `${e.authorityHost}/${c.tenantId}/v2.0/.well-known/openid-configuration`,
        e.caPem,
      );
      expect(disc.status).toBe(row.discovery ?? 200);
      expectAnswer(await ropc(e, c), row.ropc);
      const app = await appOnly(e, c);
      expectAnswer(app, row.appOnly);
      if (app.status === 200) {
        const roles = claimsOf(app.json.access_token).roles;
        if (row.appOnly.roles === null) expect(roles).toBeUndefined();
        else expect(roles).toEqual(row.appOnly.roles);
      }
      const user = await graphUser(e, c);
      expect(user.status).toBe(row.graphUser ?? 200);
      if (user.status === 404) expect(user.json.error.code).toBe('Request_ResourceNotFound');
      if (user.status === 429)
        expect([user.json.error.code, user.headers['retry-after']]).toEqual(['TooManyRequests', '1']);
      await row.check?.(e, c);
    });
  }
});
