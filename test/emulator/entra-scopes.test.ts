// How the emulated Entra reads `scope`: resources by URI or app id, OIDC scopes aside, consent and roles.
import { describe, expect, it } from 'vitest';
import { assignedRoles, consentedScopes, resolveScopes } from '../../src/emulator/entra-scopes.js';
import { EntraFailure } from '../../src/emulator/entra-errors.js';
import { EXCHANGE_APP_ID, GRAPH_APP_ID } from '../../src/emulator/model.js';
import { healthyTenant } from '../../src/emulator/tenant.js';

const code = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return (err as EntraFailure).code;
  }
  return undefined;
};

describe('resolveScopes', () => {
  const { tenant } = healthyTenant();

  it.each([
    [
      'https://outlook.office.com/IMAP.AccessAsUser.All offline_access',
      EXCHANGE_APP_ID,
      'https://outlook.office.com',
      ['IMAP.AccessAsUser.All'],
      ['offline_access'],
    ],
    ['https://outlook.office365.com/.default', EXCHANGE_APP_ID, 'https://outlook.office365.com', [], []],
    ['https://outlook.office365.com//.default', EXCHANGE_APP_ID, 'https://outlook.office365.com', [], []],
    ['https://ps.outlook.com/.default', EXCHANGE_APP_ID, 'https://ps.outlook.com', [], []],
    [`${EXCHANGE_APP_ID}/.default`, EXCHANGE_APP_ID, EXCHANGE_APP_ID, [], []],
    ['User.Read openid PROFILE', GRAPH_APP_ID, 'https://graph.microsoft.com', ['User.Read'], ['openid', 'profile']],
    [
      'https://outlook.office.com/imap.accessasuser.all',
      EXCHANGE_APP_ID,
      'https://outlook.office.com',
      ['IMAP.AccessAsUser.All'],
      [],
    ],
    ['openid offline_access', GRAPH_APP_ID, 'https://graph.microsoft.com', [], ['openid', 'offline_access']],
  ])('%s', (scope, appId, audience, values, oidc) => {
    const r = resolveScopes(tenant, scope);
    expect([r.resource.appId, r.audience, r.values, r.oidc]).toEqual([appId, audience, values, oidc]);
  });

  it('rejects two resources (700022), unknown resources (500011) and unknown scope names (70011)', () => {
    expect(code(() => resolveScopes(tenant, 'https://outlook.office.com/SMTP.Send User.Read'))).toBe(700022);
    expect(code(() => resolveScopes(tenant, 'api://contoso/.default'))).toBe(500011);
    expect(code(() => resolveScopes(tenant, 'https://outlook.office.com/Calendars.Read'))).toBe(70011);
    const noExchange = healthyTenant().tenant;
    noExchange.servicePrincipals = noExchange.servicePrincipals.filter((s) => s.appId !== EXCHANGE_APP_ID);
    expect(code(() => resolveScopes(noExchange, 'https://outlook.office365.com/.default'))).toBe(500011);
  });
});

describe('consent and roles', () => {
  it('honours Exchange scopes granted on Microsoft Graph (where the portal lists them) and on Exchange itself', () => {
    const { tenant, credentials } = healthyTenant();
    const client = tenant.servicePrincipals.find((s) => s.appId === credentials.clientId)!;
    const exchange = tenant.servicePrincipals.find((s) => s.appId === EXCHANGE_APP_ID)!;
    const user = tenant.users[0].id;
    expect([...consentedScopes(tenant, client.id, exchange, user)].sort()).toEqual([
      'IMAP.AccessAsUser.All',
      'POP.AccessAsUser.All',
      'SMTP.Send',
    ]);
    tenant.oauth2PermissionGrants = [
      {
        id: 'g',
        clientId: client.id,
        consentType: 'AllPrincipals',
        principalId: null,
        resourceId: exchange.id,
        scope: 'SMTP.Send',
      },
    ];
    expect([...consentedScopes(tenant, client.id, exchange, user)]).toEqual(['SMTP.Send']);
  });

  it("roles are the values of the client SP's assignments on that resource only", () => {
    const { tenant, credentials } = healthyTenant();
    const client = tenant.servicePrincipals.find((s) => s.appId === credentials.clientId)!;
    const graph = tenant.servicePrincipals.find((s) => s.appId === GRAPH_APP_ID)!;
    expect(assignedRoles(tenant, client.id, graph)).toEqual(['Mail.Send', 'User.Read.All']);
  });
});
