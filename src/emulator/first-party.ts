// Microsoft's own public clients, which Entra ID accepts in every tenant without an app registration there:
// `--admin device-code` signs in with Microsoft Graph Command Line Tools unless --admin-client-id names another app.
import type { Application, ServicePrincipal } from './model.js';

const MICROSOFT_TENANT = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';
const FIRST_PARTY_PUBLIC_CLIENTS: Record<string, string> = {
  '14d82eec-204b-4c2f-b7e8-296a70dab67e': 'Microsoft Graph Command Line Tools',
};

/** The app and its (implicitly provisioned) service principal, for device-code sign-ins only. */
export function firstPartyPublicClient(clientId: string): { app: Application; sp: ServicePrincipal } | undefined {
  const appId = clientId.toLowerCase();
  const displayName = FIRST_PARTY_PUBLIC_CLIENTS[appId];
  if (!displayName) return undefined;
  return {
    app: {
      id: `fp-app-${appId}`,
      appId,
      displayName,
      signInAudience: 'AzureADMultipleOrgs',
      isFallbackPublicClient: true,
      requiredResourceAccess: [],
      passwordCredentials: [],
    },
    sp: {
      id: `fp-sp-${appId}`,
      appId,
      displayName,
      accountEnabled: true,
      appRoleAssignmentRequired: false,
      servicePrincipalType: 'Application',
      appOwnerOrganizationId: MICROSOFT_TENANT,
      appRoles: [],
      oauth2PermissionScopes: [],
    },
  };
}
