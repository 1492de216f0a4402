// Graph reads shared by several checks: one path string each, so the run's memoized reader fetches it once.

const USER_SELECT =
  'id,userPrincipalName,displayName,accountEnabled,userType,mail,proxyAddresses,assignedLicenses,onPremisesSyncEnabled';

export const userPath = (upn: string) => `/users/${encodeURIComponent(upn)}?$select=${USER_SELECT}`;

/** The user whose mail (primary SMTP) address this is: /users/{x} takes only an id or a UPN. */
export const userByMailPath = (address: string) => {
  // Written as the other $filter reads are (the Graph client encodes the rest); characters that would end or change
  // the query are escaped, and a quote is doubled as OData wants.
  const literal = address.replace(/'/g, "''").replace(/[%&#+]/g, (c) => encodeURIComponent(c));
  return `/users?$filter=mail eq '${literal}'&$select=${USER_SELECT}`;
};

export const applicationPath = (appId: string) => `/applications(appId='${appId}')`;
export const servicePrincipalPath = (appId: string) => `/servicePrincipals(appId='${appId}')`;

export interface GraphUser {
  id: string;
  userPrincipalName: string;
  displayName?: string;
  accountEnabled?: boolean;
  userType?: string;
  mail?: string | null;
  proxyAddresses?: string[];
  assignedLicenses?: Array<{ skuId: string; disabledPlans?: string[] }>;
  onPremisesSyncEnabled?: boolean | null;
}

export interface GraphServicePrincipal {
  id: string;
  appId: string;
  displayName: string;
  accountEnabled: boolean;
  appRoleAssignmentRequired?: boolean;
  appRoles?: Array<{ id: string; value: string }>;
  oauth2PermissionScopes?: Array<{ id: string; value: string }>;
}
