// How the tenant model reads as Graph v1.0 resources: secrets and sign-in state stay out, Graph's extra
// properties are filled in, and users show only their default properties unless $select asks for more.
import {
  EXCHANGE_APP_ID,
  GRAPH_APP_ID,
  type Application,
  type AppRoleAssignment,
  type ConditionalAccessPolicy,
  type ServicePrincipal,
  type TenantModel,
  type User,
} from './model.js';
import type { Entity } from './graph-odata.js';

export function applicationView(a: Application): Entity {
  return {
    id: a.id,
    deletedDateTime: null,
    appId: a.appId,
    displayName: a.displayName,
    signInAudience: a.signInAudience,
    isFallbackPublicClient: a.isFallbackPublicClient,
    publicClient: { redirectUris: [] },
    keyCredentials: [],
    // Graph never returns a secret's value after creation.
    passwordCredentials: a.passwordCredentials.map(({ secretText: _secret, ...rest }) => ({
      customKeyIdentifier: null,
      ...rest,
      secretText: null,
    })),
    requiredResourceAccess: a.requiredResourceAccess,
  };
}

const SPN_EXTRA: Record<string, string[]> = {
  [GRAPH_APP_ID]: ['https://graph.microsoft.com', 'https://graph.microsoft.com/', 'https://canary.graph.microsoft.com'],
  [EXCHANGE_APP_ID]: ['https://outlook.office365.com', 'https://outlook.office.com', 'https://ps.outlook.com'],
};

export function servicePrincipalView(sp: ServicePrincipal): Entity {
  return {
    id: sp.id,
    deletedDateTime: null,
    accountEnabled: sp.accountEnabled,
    appDisplayName: sp.displayName,
    appId: sp.appId,
    appOwnerOrganizationId: sp.appOwnerOrganizationId,
    appRoleAssignmentRequired: sp.appRoleAssignmentRequired,
    displayName: sp.displayName,
    servicePrincipalNames: [sp.appId, ...(SPN_EXTRA[sp.appId] ?? [])],
    servicePrincipalType: sp.servicePrincipalType,
    appRoles: sp.appRoles,
    oauth2PermissionScopes: sp.oauth2PermissionScopes,
  };
}

export function appRoleAssignmentView(t: TenantModel, a: AppRoleAssignment): Entity {
  const name = (id: string) => t.servicePrincipals.find((s) => s.id === id)?.displayName ?? null;
  return {
    id: a.id,
    deletedDateTime: null,
    appRoleId: a.appRoleId,
    createdDateTime: a.createdDateTime,
    principalDisplayName: name(a.principalId),
    principalId: a.principalId,
    principalType: a.principalType,
    resourceDisplayName: name(a.resourceId),
    resourceId: a.resourceId,
  };
}

/** Every property a user can be $selected for. */
export function userFull(t: TenantModel, u: User): Entity {
  const plans = u.assignedLicenses.flatMap((l) =>
    (t.subscribedSkus.find((s) => s.skuId === l.skuId)?.servicePlans ?? [])
      .filter((p) => !l.disabledPlans.includes(p.servicePlanId))
      .map((p) => ({
        assignedDateTime: '2026-01-01T00:00:00Z',
        capabilityStatus: 'Enabled',
        service: p.servicePlanName.startsWith('EXCHANGE') ? 'exchange' : 'other',
        servicePlanId: p.servicePlanId,
      })),
  );
  return {
    id: u.id,
    businessPhones: [],
    displayName: u.displayName,
    givenName: null,
    jobTitle: null,
    mail: u.mail,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    surname: null,
    userPrincipalName: u.userPrincipalName,
    accountEnabled: u.accountEnabled,
    userType: u.userType,
    onPremisesSyncEnabled: u.onPremisesSyncEnabled,
    assignedLicenses: u.assignedLicenses,
    assignedPlans: plans,
    proxyAddresses: u.proxyAddresses ?? (u.mail ? [`SMTP:${u.mail}`] : []),
    mailNickname: u.userPrincipalName.split('@')[0],
    usageLocation: 'US',
    creationType: null,
    externalUserState: null,
  };
}

const USER_DEFAULTS = [
  'id',
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
];

/** A user as Graph returns it without $select: accountEnabled, licences and the like only come when selected. */
export function userDefault(full: Entity): Entity {
  return Object.fromEntries(USER_DEFAULTS.map((k) => [k, full[k]]));
}

export function licenseDetailsView(t: TenantModel, u: User): Entity[] {
  return u.assignedLicenses.map((l) => {
    const sku = t.subscribedSkus.find((s) => s.skuId === l.skuId);
    return {
      id: Buffer.from(`${u.id}:${l.skuId}`).toString('base64url'),
      skuId: l.skuId,
      skuPartNumber: sku?.skuPartNumber ?? null,
      servicePlans: (sku?.servicePlans ?? []).map((p) => ({
        ...p,
        provisioningStatus: l.disabledPlans.includes(p.servicePlanId) ? 'Disabled' : p.provisioningStatus,
      })),
    };
  });
}

export function organizationView(t: TenantModel): Entity {
  return {
    id: t.tenantId,
    deletedDateTime: null,
    displayName: t.displayName,
    tenantType: 'AAD',
    countryLetterCode: 'US',
    onPremisesSyncEnabled: null,
    assignedPlans: [],
    verifiedDomains: t.domains
      .filter((d) => d.isVerified)
      .map((d) => ({
        capabilities: 'Email, OfficeCommunicationsOnline',
        isDefault: d.isDefault,
        isInitial: d.id.endsWith('.onmicrosoft.com'),
        name: d.id,
        type: d.authenticationType,
      })),
  };
}

export function securityDefaultsView(t: TenantModel): Entity {
  return {
    id: '00000000-0000-0000-0000-000000000005',
    displayName: 'Security Defaults',
    description:
      'Security defaults is a set of basic identity security mechanisms recommended by Microsoft. When enabled, these recommendations will be automatically enforced in your organization. Administrators and users will be better protected from common identity related attacks.',
    isEnabled: t.securityDefaultsEnabled,
  };
}

export function conditionalAccessView(p: ConditionalAccessPolicy): Entity {
  const { users, applications, clientAppTypes, locations, authenticationFlows } = p.conditions;
  return {
    id: p.id,
    displayName: p.displayName,
    createdDateTime: p.createdDateTime ?? '2026-01-01T00:00:00Z',
    modifiedDateTime: null,
    state: p.state,
    templateId: null,
    conditions: {
      clientAppTypes,
      applications: {
        ...applications,
        includeUserActions: [],
        includeAuthenticationContextClassReferences: [],
        applicationFilter: null,
      },
      users: {
        includeUsers: users.includeUsers,
        excludeUsers: users.excludeUsers,
        includeGroups: users.includeGroups ?? [],
        excludeGroups: users.excludeGroups ?? [],
        includeRoles: [],
        excludeRoles: [],
        includeGuestsOrExternalUsers: null,
        excludeGuestsOrExternalUsers: null,
      },
      platforms: null,
      locations: locations ? { ...locations } : null,
      devices: null,
      clientApplications: null,
      authenticationFlows: authenticationFlows ? { ...authenticationFlows } : null,
      signInRiskLevels: [],
      userRiskLevels: [],
      servicePrincipalRiskLevels: [],
      insiderRiskLevels: null,
    },
    grantControls: p.grantControls
      ? { ...p.grantControls, customAuthenticationFactors: [], termsOfUse: [], authenticationStrength: null }
      : null,
    sessionControls: p.sessionControls?.signInFrequency
      ? {
          applicationEnforcedRestrictions: null,
          cloudAppSecurity: null,
          disableResilienceDefaults: null,
          persistentBrowser: null,
          signInFrequency: { ...p.sessionControls.signInFrequency },
        }
      : null,
  };
}
