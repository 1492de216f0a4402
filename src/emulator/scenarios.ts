// Named scenarios: each one small change to the healthy tenant that reproduces one real-world failure.
import { ConfigError } from '../core/errors.js';
import {
  EXCHANGE_APP_ID,
  type ConditionalAccessPolicy,
  type DemoCredentials,
  type Scenario,
  type TenantModel,
  type User,
} from './model.js';
import { DEMO, EXCHANGE_ROLES } from './ids.js';
import { healthyTenant, officeE3Sku } from './tenant.js';

const DAY_MS = 86_400_000;
const isoInDays = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString();

const firstUser = (t: TenantModel): User => t.users[0];

/** Federates every domain; the synced first user may validate its password in the cloud (a home realm discovery policy) or not. */
function federateFirstUser(t: TenantModel, allowCloudPasswordValidation: boolean): void {
  for (const d of t.domains) d.authenticationType = 'Federated';
  const u = firstUser(t);
  u.namespaceType = 'Federated';
  u.allowCloudPasswordValidation = allowCloudPasswordValidation;
  u.onPremisesSyncEnabled = true;
}
const connectorApp = (t: TenantModel) => t.applications.find((a) => a.appId === DEMO.connectorAppId)!;
const connectorSpId = (t: TenantModel) => t.servicePrincipals.find((s) => s.appId === DEMO.connectorAppId)!.id;

function setConnectorSecretEnd(t: TenantModel, endDateTime: string): void {
  for (const c of connectorApp(t).passwordCredentials) c.endDateTime = endDateTime;
}

const nothing = () => {};

const SERVICE_ACCOUNTS_GROUP = '6e1f0c2a-5b7d-4c39-9a1e-0d2f4b8c7a01';
const SHAREPOINT_APP_ID = '00000003-0000-0ff1-ce00-000000000000';

function allUsersMfa(
  id: string,
  displayName: string,
  users: { excludeUsers?: string[]; excludeGroups?: string[] } = {},
): ConditionalAccessPolicy {
  return {
    id,
    displayName,
    state: 'enabled',
    createdDateTime: isoInDays(-200),
    conditions: {
      users: {
        includeUsers: ['All'],
        excludeUsers: users.excludeUsers ?? [],
        includeGroups: [],
        excludeGroups: users.excludeGroups ?? [],
      },
      applications: { includeApplications: ['All'], excludeApplications: [] },
      clientAppTypes: ['all'],
    },
    grantControls: { operator: 'OR', builtInControls: ['mfa'] },
  };
}

/**
 * Microsoft-managed policies as Entra creates them: report-only, names prefixed "Microsoft-managed: " (they cannot be
 * renamed). https://learn.microsoft.com/entra/identity/conditional-access/managed-policies
 */
function managedPolicies(created: string): ConditionalAccessPolicy[] {
  const base = (id: string, name: string): ConditionalAccessPolicy => ({
    id,
    displayName: `Microsoft-managed: ${name}`,
    state: 'enabledForReportingButNotEnforced',
    createdDateTime: created,
    conditions: {
      users: { includeUsers: ['All'], excludeUsers: [] },
      applications: { includeApplications: ['All'], excludeApplications: [] },
      clientAppTypes: ['all'],
    },
    grantControls: { operator: 'OR', builtInControls: ['block'] },
  });
  const mfa = base('a1f0d7c2-3e4b-4f5a-8c6d-100000000001', 'Multifactor authentication for all users');
  mfa.grantControls = { operator: 'OR', builtInControls: ['mfa'] };
  const legacy = base('a1f0d7c2-3e4b-4f5a-8c6d-100000000002', 'Block legacy authentication');
  legacy.conditions.clientAppTypes = ['exchangeActiveSync', 'other'];
  const deviceCode = base('a1f0d7c2-3e4b-4f5a-8c6d-100000000003', 'Block device code flow');
  deviceCode.conditions.authenticationFlows = { transferMethods: 'deviceCodeFlow' };
  return [legacy, deviceCode, mfa];
}

/** The connector app configured with SMTP.SendAsApp and, unless `consent` is false, granted it (admin consent). */
function grantSendAsApp(t: TenantModel, consent = true): void {
  const exchange = connectorApp(t).requiredResourceAccess.find((r) => r.resourceAppId === EXCHANGE_APP_ID)!;
  exchange.resourceAccess.push({ id: EXCHANGE_ROLES['SMTP.SendAsApp'], type: 'Role' });
  if (!consent) return;
  const exchangeSp = t.servicePrincipals.find((s) => s.appId === EXCHANGE_APP_ID)!;
  t.appRoleAssignments.push({
    id: 'ara-smtp-sendasapp',
    principalId: connectorSpId(t),
    principalType: 'ServicePrincipal',
    resourceId: exchangeSp.id,
    appRoleId: EXCHANGE_ROLES['SMTP.SendAsApp'],
    createdDateTime: new Date().toISOString(),
  });
}

/** No Exchange registration (New-ServicePrincipal) for the connector, and so no mailbox permission for it either. */
function dropExchangeSp(t: TenantModel): void {
  t.exchange.servicePrincipals = t.exchange.servicePrincipals.filter((s) => s.appId !== DEMO.connectorAppId);
  t.exchange.mailboxPermissions = t.exchange.mailboxPermissions.filter((p) => p.principal !== connectorSpId(t));
}

/** The Exchange registration made with the app registration's object id (and the mailbox permission given to it). */
function registerWithAppObjectId(t: TenantModel): void {
  const wrong = connectorApp(t).id;
  for (const s of t.exchange.servicePrincipals) if (s.appId === DEMO.connectorAppId) s.objectId = wrong;
  for (const p of t.exchange.mailboxPermissions) if (p.principal === connectorSpId(t)) p.principal = wrong;
}

const dropMailboxPermission = (t: TenantModel): void => {
  t.exchange.mailboxPermissions = t.exchange.mailboxPermissions.filter((p) => p.principal !== connectorSpId(t));
};

export const SCENARIOS: Scenario[] = [
  { name: 'healthy', description: 'Every prerequisite in place; everything succeeds.', apply: nothing },
  {
    name: 'wrong-password',
    description: 'The connector is configured with a wrong password (AADSTS50126).',
    apply: nothing,
    credentials: (c) => ({ ...c, password: `${c.password}-typo` }),
  },
  {
    name: 'bad-secret',
    description: 'The connector is configured with a wrong client secret (AADSTS7000215).',
    apply: nothing,
    credentials: (c) => ({ ...c, clientSecret: 'Bad8Q~this.is.not.the.client.secret.value' }),
  },
  {
    name: 'expired-secret',
    description: "The app's only client secret expired yesterday (AADSTS7000222).",
    apply: (t) => setConnectorSecretEnd(t, isoInDays(-1)),
  },
  {
    name: 'secret-expiring-soon',
    description: "The app's client secret ends in 10 days; everything still works.",
    apply: (t) => setConnectorSecretEnd(t, isoInDays(10)),
  },
  {
    name: 'app-not-in-tenant',
    description: 'The app registration and its service principal are not in the tenant (AADSTS700016).',
    apply: (t) => {
      const spId = connectorSpId(t);
      t.applications = t.applications.filter((a) => a.appId !== DEMO.connectorAppId);
      t.servicePrincipals = t.servicePrincipals.filter((s) => s.appId !== DEMO.connectorAppId);
      t.appRoleAssignments = t.appRoleAssignments.filter((a) => a.principalId !== spId);
      t.oauth2PermissionGrants = t.oauth2PermissionGrants.filter((g) => g.clientId !== spId);
    },
  },
  {
    name: 'tenant-not-found',
    description: 'The connector names a tenant that does not exist (AADSTS90002).',
    apply: nothing,
    credentials: (c) => ({
      ...c,
      tenantId: 'm365doctor-typo.onmicrosoft.com',
      domain: 'm365doctor-typo.onmicrosoft.com',
    }),
  },
  {
    name: 'wrong-cloud',
    description: 'The tenant lives in US Government GCC High, not the global cloud.',
    apply: (t) => {
      t.cloudInstanceName = 'microsoftonline.us';
      t.tenantRegionScope = 'USGov';
      t.tenantRegionSubScope = 'DODCON';
    },
  },
  {
    name: 'mfa-required',
    description: 'A Conditional Access policy requires MFA for all users and apps (AADSTS50076).',
    apply: (t) =>
      t.conditionalAccessPolicies.push({
        id: 'ca000001-0000-0000-0000-000000000001',
        displayName: 'Require MFA for all users',
        state: 'enabled',
        conditions: {
          users: { includeUsers: ['All'], excludeUsers: [] },
          applications: { includeApplications: ['All'], excludeApplications: [] },
          clientAppTypes: ['all'],
        },
        grantControls: { operator: 'OR', builtInControls: ['mfa'] },
      }),
  },
  {
    name: 'conditional-access-blocked',
    description: 'A Conditional Access policy blocks the connector user (AADSTS53003).',
    apply: (t) =>
      t.conditionalAccessPolicies.push({
        id: 'ca000002-0000-0000-0000-000000000002',
        displayName: 'Block legacy and service sign-ins',
        state: 'enabled',
        conditions: {
          users: { includeUsers: [firstUser(t).id], excludeUsers: [] },
          applications: { includeApplications: ['All'], excludeApplications: [] },
          clientAppTypes: ['all'],
        },
        grantControls: { operator: 'OR', builtInControls: ['block'] },
      }),
  },
  {
    name: 'federated-user',
    description: "The user's domain is federated without cloud password validation (AADSTS50126).",
    apply: (t) => federateFirstUser(t, false),
  },
  {
    name: 'federated-user-hrd',
    description:
      "The user's domain is federated, with password hash sync and a home realm discovery policy allowing cloud password validation: ROPC works.",
    apply: (t) => federateFirstUser(t, true),
  },
  {
    name: 'locked-user',
    description: 'The user is locked out by smart lockout (AADSTS50053).',
    apply: (t) => {
      firstUser(t).locked = true;
    },
  },
  {
    name: 'disabled-user',
    description: 'The user account is disabled (AADSTS50057).',
    apply: (t) => {
      firstUser(t).accountEnabled = false;
    },
  },
  {
    name: 'password-expired',
    description: "The user's password has expired (AADSTS50055).",
    apply: (t) => {
      firstUser(t).passwordExpired = true;
    },
  },
  {
    name: 'user-not-found',
    description: 'The connector names a user who is not in the tenant (AADSTS50034).',
    apply: nothing,
    credentials: (c) => ({ ...c, username: `nobody@${c.domain}` }),
  },
  {
    name: 'missing-permission',
    description: 'IMAP.AccessAsApp and POP.AccessAsApp are neither configured nor granted.',
    apply: (t) => {
      const drop = new Set<string>([EXCHANGE_ROLES['IMAP.AccessAsApp'], EXCHANGE_ROLES['POP.AccessAsApp']]);
      for (const r of connectorApp(t).requiredResourceAccess)
        r.resourceAccess = r.resourceAccess.filter((a) => !drop.has(a.id));
      connectorApp(t).requiredResourceAccess = connectorApp(t).requiredResourceAccess.filter(
        (r) => r.resourceAppId !== EXCHANGE_APP_ID || r.resourceAccess.length > 0,
      );
      const spId = connectorSpId(t);
      t.appRoleAssignments = t.appRoleAssignments.filter((a) => !(a.principalId === spId && drop.has(a.appRoleId)));
    },
  },
  {
    name: 'smtp-send-not-consented',
    description:
      'Admin consent covers the IMAP and POP scopes but not SMTP.Send; Entra issues a token for the consented scopes only.',
    apply: (t) => {
      const spId = connectorSpId(t);
      for (const g of t.oauth2PermissionGrants) {
        if (g.clientId === spId)
          g.scope = g.scope
            .split(' ')
            .filter((s) => s !== 'SMTP.Send')
            .join(' ');
      }
      t.issueConsentedSubset = true;
    },
  },
  {
    name: 'app-only-ready',
    description:
      'Healthy, and the app also holds SMTP.SendAsApp (Exchange application permission), as an app-only (client credentials) connector needs.',
    apply: (t) => grantSendAsApp(t),
  },
  {
    name: 'no-admin-consent',
    description: 'No admin consent: no delegated grants and no application role assignments (AADSTS65001).',
    apply: (t) => {
      const spId = connectorSpId(t);
      t.oauth2PermissionGrants = t.oauth2PermissionGrants.filter((g) => g.clientId !== spId);
      t.appRoleAssignments = t.appRoleAssignments.filter((a) => a.principalId !== spId);
    },
  },
  {
    name: 'no-license',
    description: 'The user has no licence and therefore no mailbox.',
    apply: (t) => {
      const u = firstUser(t);
      u.assignedLicenses = [];
      u.mailbox = null;
      t.subscribedSkus.forEach((s) => {
        s.consumedUnits = 0;
      });
    },
  },
  {
    name: 'not-business-standard',
    description: 'The user is licensed with Office 365 E3 instead of Business Standard; mail still works.',
    apply: (t) => {
      t.subscribedSkus = [officeE3Sku(t.tenantId)];
      firstUser(t).assignedLicenses = [{ skuId: t.subscribedSkus[0].skuId, disabledPlans: [] }];
    },
  },
  {
    name: 'smtp-auth-disabled-tenant',
    description: 'SMTP AUTH is disabled for the organisation and the mailbox follows it.',
    apply: (t) => {
      t.exchange.smtpClientAuthenticationDisabled = true;
      firstUser(t).mailbox!.smtpClientAuthenticationDisabled = null;
    },
  },
  {
    name: 'smtp-auth-disabled-mailbox',
    description: 'SMTP AUTH is disabled on the mailbox.',
    apply: (t) => {
      firstUser(t).mailbox!.smtpClientAuthenticationDisabled = true;
    },
  },
  {
    name: 'imap-disabled',
    description: 'IMAP is disabled on the mailbox.',
    apply: (t) => {
      firstUser(t).mailbox!.imapEnabled = false;
    },
  },
  {
    name: 'pop-disabled',
    description: 'POP is disabled on the mailbox.',
    apply: (t) => {
      firstUser(t).mailbox!.popEnabled = false;
    },
  },
  {
    name: 'exchange-sp-missing',
    description: 'The app was never registered in Exchange Online (New-ServicePrincipal).',
    apply: dropExchangeSp,
  },
  {
    name: 'exchange-sp-wrong-object-id',
    description: "The Exchange registration used the app registration's object id instead of the enterprise app's.",
    apply: registerWithAppObjectId,
  },
  {
    name: 'no-mailbox-permission',
    description: 'The app has no FullAccess on the mailbox.',
    apply: dropMailboxPermission,
  },
  // App-only SMTP (SMTP.SendAsApp): each one step of the set-up missing from app-only-ready.
  {
    name: 'app-only-smtp-role-missing',
    description:
      'The app lists SMTP.SendAsApp but admin consent was never granted for it, so app-only tokens lack the role.',
    apply: (t) => grantSendAsApp(t, false),
  },
  {
    name: 'app-only-smtp-sp-missing',
    description: 'The app holds SMTP.SendAsApp but was never registered in Exchange Online (New-ServicePrincipal).',
    apply: (t) => {
      grantSendAsApp(t);
      dropExchangeSp(t);
    },
  },
  {
    name: 'app-only-smtp-wrong-object-id',
    description:
      "The app holds SMTP.SendAsApp; its Exchange registration used the app registration's object id instead of the enterprise app's.",
    apply: (t) => {
      grantSendAsApp(t);
      registerWithAppObjectId(t);
    },
  },
  {
    name: 'app-only-smtp-no-send-as',
    description:
      'The app holds SMTP.SendAsApp and is registered in Exchange, but has no FullAccess or Send As on the mailbox.',
    apply: (t) => {
      grantSendAsApp(t);
      dropMailboxPermission(t);
    },
  },
  {
    name: 'app-only-smtp-rbac-out-of-scope',
    description:
      'The app holds SMTP.SendAsApp, has no mailbox permission, and its RBAC for Applications assignment is scoped to a group the mailbox is not in.',
    apply: (t) => {
      grantSendAsApp(t);
      dropMailboxPermission(t);
      t.exchange.managementScopes = [{ name: 'Connector mailboxes', mailboxes: [`alerts@${t.domains[0].id}`] }];
      t.exchange.appRoleAssignments = [
        {
          name: 'Connector SMTP',
          role: 'Application SMTP.SendAsApp',
          app: DEMO.connectorAppId,
          customResourceScope: 'Connector mailboxes',
        },
      ];
    },
  },
  {
    name: 'app-only-rbac-scoped',
    description:
      'The app sends app-only through RBAC for Applications, as Microsoft advises: SMTP.SendAsApp is not consented in Entra; the Exchange role "Application SMTP.SendAsApp" is assigned to the app with a management scope that holds the mailbox.',
    apply: (t) => {
      t.exchange.managementScopes = [{ name: 'Connector mailboxes', mailboxes: [firstUser(t).userPrincipalName] }];
      t.exchange.appRoleAssignments = [
        {
          name: 'Connector SMTP',
          role: 'Application SMTP.SendAsApp',
          app: DEMO.connectorAppId,
          customResourceScope: 'Connector mailboxes',
        },
      ];
    },
  },
  {
    name: 'graph-throttled',
    description: 'Microsoft Graph answers every request with 429 TooManyRequests (Retry-After: 1).',
    apply: (t) => {
      t.graphThrottle = { requests: Infinity, retryAfterSeconds: 1 };
    },
  },
  {
    name: 'managed-mfa-report-only',
    description:
      'Microsoft added its managed policies 10 days ago, in report-only mode; "Multifactor authentication for all users" will break the password grant once Microsoft turns it on.',
    apply: (t) => t.conditionalAccessPolicies.push(...managedPolicies(isoInDays(-10))),
  },
  {
    name: 'managed-mfa-enabled',
    description:
      'Microsoft added its managed policies 60 days ago and has turned "Multifactor authentication for all users" on: the password grant gets AADSTS50076.',
    apply: (t) => {
      const policies = managedPolicies(isoInDays(-60));
      policies.find((p) => p.displayName.endsWith('for all users'))!.state = 'enabled';
      t.conditionalAccessPolicies.push(...policies);
    },
  },
  {
    name: 'mfa-policy-excludes-user',
    description: 'An enabled MFA policy for all users excludes the group of service accounts the connector user is in.',
    apply: (t) => {
      t.groups = [
        { id: SERVICE_ACCOUNTS_GROUP, displayName: 'Service accounts (excluded from MFA; see CA exception register)' },
      ];
      firstUser(t).memberOf = [SERVICE_ACCOUNTS_GROUP];
      t.conditionalAccessPolicies.push(
        allUsersMfa('ca000003-0000-0000-0000-000000000003', 'Require MFA for all users (service accounts excluded)', {
          excludeGroups: [SERVICE_ACCOUNTS_GROUP],
        }),
      );
    },
  },
  {
    name: 'mfa-policy-other-apps',
    description: 'An enabled MFA policy covers SharePoint Online only, not Exchange Online.',
    apply: (t) =>
      t.conditionalAccessPolicies.push({
        ...allUsersMfa('ca000004-0000-0000-0000-000000000004', 'Require MFA for SharePoint'),
        conditions: {
          users: { includeUsers: ['All'], excludeUsers: [] },
          applications: { includeApplications: [SHAREPOINT_APP_ID], excludeApplications: [] },
          clientAppTypes: ['all'],
        },
      }),
  },
  {
    name: 'guest-user',
    description:
      'The connector user is an invited guest (a personal Microsoft account) with no mailbox here (AADSTS50020).',
    apply: (t) => {
      const u = firstUser(t);
      u.userType = 'Guest';
      u.assignedLicenses = [];
      u.mailbox = null;
    },
  },
  {
    name: 'passwordless-user',
    description:
      'The user signs in without a password (FIDO2 / Authenticator); ROPC has nothing to test (AADSTS50056).',
    apply: (t) => {
      firstUser(t).password = '';
    },
  },
  {
    name: 'assignment-required',
    description: 'The enterprise app requires user assignment and the user is not assigned (AADSTS50105).',
    apply: (t) => {
      t.servicePrincipals.find((s) => s.appId === DEMO.connectorAppId)!.appRoleAssignmentRequired = true;
    },
  },
  {
    name: 'delegated-only-app',
    description: 'The app has only delegated permissions: no application permissions and no Exchange registration.',
    apply: (t) => {
      const app = connectorApp(t);
      for (const r of app.requiredResourceAccess) r.resourceAccess = r.resourceAccess.filter((a) => a.type === 'Scope');
      app.requiredResourceAccess = app.requiredResourceAccess.filter((r) => r.resourceAccess.length > 0);
      const spId = connectorSpId(t);
      t.appRoleAssignments = t.appRoleAssignments.filter((a) => a.principalId !== spId);
      t.exchange.servicePrincipals = t.exchange.servicePrincipals.filter((s) => s.appId !== DEMO.connectorAppId);
      t.exchange.mailboxPermissions = t.exchange.mailboxPermissions.filter((p) => p.principal !== spId);
    },
  },
  {
    name: 'security-defaults',
    description: 'Security defaults are on, so Entra demands MFA of the password grant (AADSTS50076).',
    apply: (t) => {
      t.securityDefaultsEnabled = true;
    },
  },
  {
    name: 'partial-consent',
    description:
      'Admin consent covers IMAP and POP but not SMTP.Send; the password grant asks for all three (AADSTS65001).',
    apply: (t) => {
      const spId = connectorSpId(t);
      for (const g of t.oauth2PermissionGrants) {
        if (g.clientId === spId)
          g.scope = g.scope
            .split(' ')
            .filter((s) => s !== 'SMTP.Send')
            .join(' ');
      }
    },
  },
  {
    // Common after a rebranding or with synced users: the UPN stays, the mailbox's addresses move on.
    name: 'upn-not-mail-address',
    description:
      "The user's UPN is not an address of its mailbox (primary address mail.connector@…): mail sent from the UPN is refused with 554 5.2.252 SendAsDenied.",
    apply: (t, c) => {
      const user = firstUser(t);
      user.mail = `mail.connector@${c.domain}`;
      user.proxyAddresses = [`SMTP:${user.mail}`];
    },
  },
  {
    // https://learn.microsoft.com/entra/identity/authentication/howto-authentication-use-email-signin
    name: 'email-alternate-login-id',
    description:
      'The connector signs in with the mail address, not the UPN, through email as an alternate login ID: the token is for the UPN, and SMTP AUTH refuses user= the mail address (535 5.7.3).',
    apply: (t, c) => {
      t.alternateIdLogin = true;
      const user = firstUser(t);
      user.mail = `mail.connector@${c.domain}`;
      user.proxyAddresses = [`SMTP:${user.mail}`];
    },
    credentials: (c) => ({ ...c, username: `mail.connector@${c.domain}` }),
  },
];

export const SCENARIO_NAMES: readonly string[] = SCENARIOS.map((s) => s.name);

/** The healthy tenant with the named scenario applied. Unknown names are a ConfigError listing the valid ones. */
export function buildScenario(name: string): { tenant: TenantModel; credentials: DemoCredentials } {
  const scenario = SCENARIOS.find((s) => s.name === name);
  if (!scenario) {
    throw new ConfigError('scenario', `unknown scenario '${name}'`, `Use one of: ${SCENARIO_NAMES.join(', ')}`);
  }
  const { tenant, credentials } = healthyTenant();
  scenario.apply(tenant, credentials);
  return { tenant, credentials: scenario.credentials ? scenario.credentials(credentials) : credentials };
}

export { loadScenarioFile } from './scenario-file.js';
