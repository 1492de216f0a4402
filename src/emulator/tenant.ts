// The healthy demo tenant: every prerequisite of the mail connector in place. Scenarios change one thing each.
import {
  EXCHANGE_APP_ID,
  GRAPH_APP_ID,
  type AppRole,
  type AppRoleAssignment,
  type DemoCredentials,
  type PermissionScope,
  type SubscribedSku,
  type TenantModel,
} from './model.js';
import { DEMO, EXCHANGE_ROLES, EXCHANGE_SCOPES, GRAPH_ROLES, GRAPH_SCOPES, SERVICE_PLANS, SKUS } from './ids.js';

// Demo values, shaped like Entra client secrets (hint = first three characters). Not real secrets.
const CONNECTOR_SECRET = 'Dmo8Q~m365doctor.connector.demo.secret.01';
const AUDITOR_SECRET = 'Aud8Q~m365doctor.auditor.demo.secret.0002';
const USER_PASSWORD = 'Demo-Passw0rd!2026';

const DAY_MS = 86_400_000;
const isoInDays = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString();

function roles(table: Record<string, string>): AppRole[] {
  return Object.entries(table).map(([value, id]) => ({
    id,
    value,
    displayName: value,
    allowedMemberTypes: ['Application'],
    isEnabled: true,
  }));
}

function scopes(table: Record<string, string>, admin: readonly string[] = []): PermissionScope[] {
  return Object.entries(table).map(([value, id]) => ({
    id,
    value,
    type: admin.includes(value) ? ('Admin' as const) : ('User' as const),
    isEnabled: true,
  }));
}

function assignment(n: number, principalId: string, resourceId: string, appRoleId: string): AppRoleAssignment {
  return {
    id: `ara-${String(n).padStart(2, '0')}-${principalId.slice(0, 8)}`,
    principalId,
    principalType: 'ServicePrincipal',
    resourceId,
    appRoleId,
    createdDateTime: isoInDays(-30),
  };
}

/** An enabled subscription of the tenant: five seats, one in use. */
function enabledSku(
  tenantId: string,
  sku: (typeof SKUS)[keyof typeof SKUS],
  servicePlans: SubscribedSku['servicePlans'],
): SubscribedSku {
  return {
    id: `${tenantId}_${sku.skuId}`,
    ...sku,
    capabilityStatus: 'Enabled',
    consumedUnits: 1,
    prepaidUnits: { enabled: 5, suspended: 0, warning: 0 },
    appliesTo: 'User',
    servicePlans,
  };
}

export function businessStandardSku(tenantId: string): SubscribedSku {
  return enabledSku(tenantId, SKUS.businessStandard, [
    {
      servicePlanId: SERVICE_PLANS.EXCHANGE_S_STANDARD,
      servicePlanName: 'EXCHANGE_S_STANDARD',
      provisioningStatus: 'Success',
      appliesTo: 'User',
    },
    {
      servicePlanId: '57ff2da0-773e-42df-b2af-ffb7a2317929',
      servicePlanName: 'TEAMS1',
      provisioningStatus: 'Success',
      appliesTo: 'User',
    },
  ]);
}

export function officeE3Sku(tenantId: string): SubscribedSku {
  return enabledSku(tenantId, SKUS.officeE3, [
    {
      servicePlanId: SERVICE_PLANS.EXCHANGE_S_ENTERPRISE,
      servicePlanName: 'EXCHANGE_S_ENTERPRISE',
      provisioningStatus: 'Success',
      appliesTo: 'User',
    },
  ]);
}

function buildHealthy(): { tenant: TenantModel; credentials: DemoCredentials } {
  const t = DEMO;
  const connectorRoles = [
    [t.graphSpId, GRAPH_ROLES['Mail.Send']],
    [t.graphSpId, GRAPH_ROLES['User.Read.All']],
    [t.exchangeSpId, EXCHANGE_ROLES['IMAP.AccessAsApp']],
    [t.exchangeSpId, EXCHANGE_ROLES['POP.AccessAsApp']],
  ] as const;
  const auditorRoles = [
    GRAPH_ROLES['Application.Read.All'],
    GRAPH_ROLES['Policy.Read.All'],
    GRAPH_ROLES['Directory.Read.All'],
    GRAPH_ROLES['Organization.Read.All'],
  ];

  const tenant: TenantModel = {
    tenantId: t.tenantId,
    displayName: 'M365 Doctor Demo',
    domains: [{ id: t.domain, isVerified: true, isDefault: true, authenticationType: 'Managed' }],
    cloudInstanceName: 'microsoftonline.com',
    tenantRegionScope: 'NA',
    applications: [
      {
        id: t.connectorAppObjectId,
        appId: t.connectorAppId,
        displayName: 'Mail Connector',
        signInAudience: 'AzureADMyOrg',
        isFallbackPublicClient: false,
        requiredResourceAccess: [
          {
            resourceAppId: GRAPH_APP_ID,
            resourceAccess: [
              { id: GRAPH_SCOPES.offline_access, type: 'Scope' },
              { id: GRAPH_SCOPES['IMAP.AccessAsUser.All'], type: 'Scope' },
              { id: GRAPH_SCOPES['POP.AccessAsUser.All'], type: 'Scope' },
              { id: GRAPH_SCOPES['SMTP.Send'], type: 'Scope' },
              { id: GRAPH_SCOPES['User.Read'], type: 'Scope' },
              { id: GRAPH_ROLES['Mail.Send'], type: 'Role' },
              { id: GRAPH_ROLES['User.Read.All'], type: 'Role' },
            ],
          },
          {
            resourceAppId: EXCHANGE_APP_ID,
            resourceAccess: [
              { id: EXCHANGE_ROLES['IMAP.AccessAsApp'], type: 'Role' },
              { id: EXCHANGE_ROLES['POP.AccessAsApp'], type: 'Role' },
            ],
          },
        ],
        passwordCredentials: [
          {
            keyId: t.connectorSecretKeyId,
            displayName: 'connector secret',
            hint: CONNECTOR_SECRET.slice(0, 3),
            startDateTime: isoInDays(-30),
            endDateTime: isoInDays(365),
            secretText: CONNECTOR_SECRET,
          },
        ],
      },
      {
        id: t.auditorAppObjectId,
        appId: t.auditorAppId,
        displayName: 'Directory Auditor',
        // Public client flows allowed so an administrator can also sign it in with a device code.
        signInAudience: 'AzureADMyOrg',
        isFallbackPublicClient: true,
        requiredResourceAccess: [
          {
            resourceAppId: GRAPH_APP_ID,
            resourceAccess: [
              ...auditorRoles.map((id) => ({ id, type: 'Role' as const })),
              { id: GRAPH_SCOPES['Directory.Read.All'], type: 'Scope' as const },
              { id: GRAPH_SCOPES['Policy.Read.All'], type: 'Scope' as const },
            ],
          },
        ],
        passwordCredentials: [
          {
            keyId: t.auditorSecretKeyId,
            displayName: 'auditor secret',
            hint: AUDITOR_SECRET.slice(0, 3),
            startDateTime: isoInDays(-30),
            endDateTime: isoInDays(365),
            secretText: AUDITOR_SECRET,
          },
        ],
      },
    ],
    servicePrincipals: [
      {
        id: t.connectorSpId,
        appId: t.connectorAppId,
        displayName: 'Mail Connector',
        accountEnabled: true,
        appRoleAssignmentRequired: false,
        servicePrincipalType: 'Application',
        appOwnerOrganizationId: t.tenantId,
        appRoles: [],
        oauth2PermissionScopes: [],
      },
      {
        id: t.auditorSpId,
        appId: t.auditorAppId,
        displayName: 'Directory Auditor',
        accountEnabled: true,
        appRoleAssignmentRequired: false,
        servicePrincipalType: 'Application',
        appOwnerOrganizationId: t.tenantId,
        appRoles: [],
        oauth2PermissionScopes: [],
      },
      {
        id: t.graphSpId,
        appId: GRAPH_APP_ID,
        displayName: 'Microsoft Graph',
        accountEnabled: true,
        appRoleAssignmentRequired: false,
        servicePrincipalType: 'Application',
        appOwnerOrganizationId: 'f8cdef31-a31e-4b4a-93e4-5f571e91255a',
        appRoles: roles(GRAPH_ROLES),
        oauth2PermissionScopes: scopes(GRAPH_SCOPES, [
          'Directory.Read.All',
          'Application.Read.All',
          'Policy.Read.All',
          'User.Read.All',
        ]),
      },
      {
        id: t.exchangeSpId,
        appId: EXCHANGE_APP_ID,
        displayName: 'Office 365 Exchange Online',
        accountEnabled: true,
        appRoleAssignmentRequired: false,
        servicePrincipalType: 'Application',
        appOwnerOrganizationId: 'f8cdef31-a31e-4b4a-93e4-5f571e91255a',
        appRoles: roles(EXCHANGE_ROLES),
        oauth2PermissionScopes: scopes(EXCHANGE_SCOPES),
      },
    ],
    appRoleAssignments: [
      ...connectorRoles.map(([resourceId, roleId], i) => assignment(i + 1, t.connectorSpId, resourceId, roleId)),
      ...auditorRoles.map((roleId, i) => assignment(i + 1, t.auditorSpId, t.graphSpId, roleId)),
    ],
    oauth2PermissionGrants: [
      {
        id: 'grant-connector-graph-allprincipals',
        clientId: t.connectorSpId,
        consentType: 'AllPrincipals',
        principalId: null,
        resourceId: t.graphSpId,
        scope: 'offline_access IMAP.AccessAsUser.All POP.AccessAsUser.All SMTP.Send User.Read',
      },
      {
        id: 'grant-auditor-graph-allprincipals',
        clientId: t.auditorSpId,
        consentType: 'AllPrincipals',
        principalId: null,
        resourceId: t.graphSpId,
        scope: 'Directory.Read.All Policy.Read.All',
      },
    ],
    users: [
      {
        id: t.userId,
        userPrincipalName: `connector@${t.domain}`,
        displayName: 'Mail Connector Mailbox',
        mail: `connector@${t.domain}`,
        accountEnabled: true,
        userType: 'Member',
        onPremisesSyncEnabled: null,
        assignedLicenses: [{ skuId: SKUS.businessStandard.skuId, disabledPlans: [] }],
        password: USER_PASSWORD,
        namespaceType: 'Managed',
        allowCloudPasswordValidation: false,
        perUserMfa: false,
        locked: false,
        passwordExpired: false,
        mailbox: { imapEnabled: true, popEnabled: true, smtpClientAuthenticationDisabled: null },
      },
    ],
    subscribedSkus: [businessStandardSku(t.tenantId)],
    securityDefaultsEnabled: false,
    conditionalAccessPolicies: [],
    exchange: {
      smtpClientAuthenticationDisabled: false,
      servicePrincipals: [{ appId: t.connectorAppId, objectId: t.connectorSpId, displayName: 'Mail Connector' }],
      mailboxPermissions: [
        { mailbox: `connector@${t.domain}`, principal: t.connectorSpId, accessRights: ['FullAccess'] },
      ],
    },
  };

  const credentials: DemoCredentials = {
    tenantId: t.tenantId,
    domain: t.domain,
    clientId: t.connectorAppId,
    clientSecret: CONNECTOR_SECRET,
    username: `connector@${t.domain}`,
    password: USER_PASSWORD,
    adminClientId: t.auditorAppId,
    adminClientSecret: AUDITOR_SECRET,
  };
  return { tenant, credentials };
}

/** A fresh, independent copy of the healthy demo tenant and its demo credentials. */
export function healthyTenant(): { tenant: TenantModel; credentials: DemoCredentials } {
  return buildHealthy();
}
