// Graph reads shared by several checks: one path string each, so the run's memoized reader fetches it once.

export const userPath = (upn: string) =>
  `/users/${encodeURIComponent(upn)}?$select=id,userPrincipalName,displayName,accountEnabled,userType,mail,assignedLicenses,onPremisesSyncEnabled`;

export const applicationPath = (appId: string) => `/applications(appId='${appId}')`;
export const servicePrincipalPath = (appId: string) => `/servicePrincipals(appId='${appId}')`;

export interface GraphUser {
  id: string; userPrincipalName: string; displayName?: string; accountEnabled?: boolean; userType?: string;
  mail?: string | null; assignedLicenses?: Array<{ skuId: string; disabledPlans?: string[] }>; onPremisesSyncEnabled?: boolean | null;
}

export interface GraphServicePrincipal {
  id: string; appId: string; displayName: string; accountEnabled: boolean; appRoleAssignmentRequired?: boolean;
  appRoles?: Array<{ id: string; value: string }>; oauth2PermissionScopes?: Array<{ id: string; value: string }>;
}
