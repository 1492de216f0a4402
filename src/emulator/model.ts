// The emulated tenant is data: this typed model is everything the emulator's services answer from.
// Shapes follow Microsoft Graph v1.0 resources where one exists, so Graph answers are the model itself.

export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
export const EXCHANGE_APP_ID = '00000002-0000-0ff1-ce00-000000000000';

export interface PasswordCredential {
  keyId: string;
  displayName: string;
  /** First three characters of the secret, as Graph shows. */
  hint: string;
  startDateTime: string;
  endDateTime: string;
  /** The secret value itself: never served by Graph. */
  secretText: string;
}

export interface ResourceAccess {
  id: string;
  type: 'Scope' | 'Role';
}
export interface RequiredResourceAccess {
  resourceAppId: string;
  resourceAccess: ResourceAccess[];
}

export interface Application {
  id: string; // object id of the app registration
  appId: string; // client id
  displayName: string;
  signInAudience: 'AzureADMyOrg' | 'AzureADMultipleOrgs' | 'AzureADandPersonalMicrosoftAccount';
  isFallbackPublicClient: boolean;
  requiredResourceAccess: RequiredResourceAccess[];
  passwordCredentials: PasswordCredential[];
}

export interface AppRole {
  id: string;
  value: string;
  displayName: string;
  allowedMemberTypes: string[];
  isEnabled: boolean;
}
export interface PermissionScope {
  id: string;
  value: string;
  type: 'User' | 'Admin';
  isEnabled: boolean;
}

export interface ServicePrincipal {
  id: string; // enterprise application object id
  appId: string;
  displayName: string;
  accountEnabled: boolean;
  appRoleAssignmentRequired: boolean;
  /** Users assigned to the enterprise application (Users and groups); only consulted when assignment is required. */
  assignedUserIds?: string[];
  servicePrincipalType: 'Application';
  appOwnerOrganizationId: string;
  appRoles: AppRole[];
  oauth2PermissionScopes: PermissionScope[];
}

export interface AppRoleAssignment {
  id: string;
  principalId: string; // client service principal id
  principalType: 'ServicePrincipal';
  resourceId: string; // resource service principal id
  appRoleId: string;
  createdDateTime: string;
}

export interface OAuth2PermissionGrant {
  id: string;
  clientId: string; // client service principal id
  consentType: 'AllPrincipals' | 'Principal';
  principalId: string | null;
  resourceId: string; // resource service principal id
  scope: string; // space separated
}

export interface ServicePlanInfo {
  servicePlanId: string;
  servicePlanName: string;
  provisioningStatus: string;
  appliesTo: 'User' | 'Company';
}
export interface SubscribedSku {
  id: string;
  skuId: string;
  skuPartNumber: string;
  capabilityStatus: 'Enabled' | 'Suspended' | 'LockedOut' | 'Warning';
  consumedUnits: number;
  prepaidUnits: { enabled: number; suspended: number; warning: number };
  servicePlans: ServicePlanInfo[];
  appliesTo: 'User';
}
export interface AssignedLicense {
  skuId: string;
  disabledPlans: string[];
}

/** Exchange per-mailbox protocol switches (Set-CASMailbox). */
export interface CasMailbox {
  imapEnabled: boolean;
  popEnabled: boolean;
  /** null = follow the tenant setting (Set-TransportConfig). */
  smtpClientAuthenticationDisabled: boolean | null;
}

export interface User {
  id: string;
  userPrincipalName: string;
  displayName: string;
  mail: string | null;
  /**
   * Exchange's addresses of the user's mailbox, as Graph's proxyAddresses ("SMTP:" the primary, "smtp:" the others).
   * Absent: the mail address alone. The user principal name is an address only when it is listed here (or is `mail`).
   */
  proxyAddresses?: string[];
  accountEnabled: boolean;
  userType: 'Member' | 'Guest';
  onPremisesSyncEnabled: boolean | null;
  assignedLicenses: AssignedLicense[];
  /** Not served by Graph: sign-in state that Entra judges. Empty: a passwordless account (no password stored). */
  password: string;
  namespaceType: 'Managed' | 'Federated';
  /** Federated user whose password hash is synced and HRD allows cloud password validation. */
  allowCloudPasswordValidation: boolean;
  perUserMfa: boolean;
  locked: boolean;
  passwordExpired: boolean;
  /** Exchange mailbox, present when a licence with an Exchange plan provisioned one. */
  mailbox: CasMailbox | null;
  /** Ids of the groups the user belongs to (directly or through other groups). */
  memberOf?: string[];
}

/** Graph's signInFrequencySessionControl. */
export interface SignInFrequency {
  isEnabled: boolean;
  type: 'days' | 'hours' | null;
  value: number | null;
  frequencyInterval: 'timeBased' | 'everyTime';
  authenticationType: 'primaryAndSecondaryAuthentication' | 'secondaryAuthentication';
}

/** Graph's conditionalAccessPolicy (v1.0), the parts the emulator judges; optional parts are null/empty when absent. */
export interface ConditionalAccessPolicy {
  id: string;
  displayName: string;
  state: 'enabled' | 'disabled' | 'enabledForReportingButNotEnforced';
  /** ISO timestamp; absent = 2026-01-01T00:00:00Z. */
  createdDateTime?: string;
  conditions: {
    users: { includeUsers: string[]; excludeUsers: string[]; includeGroups?: string[]; excludeGroups?: string[] }; // 'All' or user ids
    applications: { includeApplications: string[]; excludeApplications: string[] }; // 'All', 'Office365' or appIds
    clientAppTypes: string[]; // 'all', 'exchangeActiveSync', 'other', ...
    /** Named location ids, 'All' or 'AllTrusted'; the emulated connector signs in from no named location. */
    locations?: { includeLocations: string[]; excludeLocations: string[] } | null;
    /** Policies for device code flow / authentication transfer only (e.g. "Block device code flow"). */
    authenticationFlows?: { transferMethods: string } | null;
  };
  /** null: a policy with session controls only. */
  grantControls: {
    operator: 'OR' | 'AND';
    builtInControls: Array<'mfa' | 'block' | 'compliantDevice' | 'domainJoinedDevice'>;
  } | null;
  sessionControls?: { signInFrequency: SignInFrequency | null } | null;
}

export interface Group {
  id: string;
  displayName: string;
}

/** An Exchange Online service principal registration (New-ServicePrincipal). */
export interface ExchangeServicePrincipal {
  appId: string;
  /** The object id given to New-ServicePrincipal: must be the enterprise app (service principal) id. */
  objectId: string;
  displayName: string;
}

/** Add-MailboxPermission: principal is an ExchangeServicePrincipal objectId (or a user UPN). */
export interface MailboxPermission {
  mailbox: string;
  principal: string;
  accessRights: Array<'FullAccess' | 'ReadPermission'>;
}

/** Add-RecipientPermission -AccessRights SendAs: trustee is an ExchangeServicePrincipal objectId (or a user UPN). */
export interface RecipientPermission {
  mailbox: string;
  trustee: string;
  accessRights: Array<'SendAs'>;
}

/**
 * RBAC for Applications (https://learn.microsoft.com/exchange/permissions-exo/application-rbac): New-ManagementScope
 * with a recipient filter, modelled as the mailboxes it matches.
 */
export interface ManagementScope {
  name: string;
  mailboxes: string[];
}

/** New-ManagementRoleAssignment -App <service principal> -Role "Application ..." [-CustomResourceScope <scope>]. */
export interface AppManagementRoleAssignment {
  name: string;
  role: 'Application SMTP.SendAsApp' | 'Application Mail.Send' | 'Application Mail.Read';
  /** The app's appId or its service principal's object id, as -App accepts either. */
  app: string;
  /** Name of a ManagementScope; absent: the whole organisation. */
  customResourceScope?: string;
}

export interface Domain {
  id: string;
  isVerified: boolean;
  isDefault: boolean;
  authenticationType: 'Managed' | 'Federated';
  /** The domain belongs to an unmanaged (self-service sign-up, "viral") directory: userrealm answers IsViral: true. */
  isViral?: boolean;
}

export interface TenantModel {
  tenantId: string;
  displayName: string;
  domains: Domain[];
  /** OIDC discovery facts: which cloud and region the tenant lives in. */
  cloudInstanceName: string; // microsoftonline.com | microsoftonline.us | partner.microsoftonline.cn
  tenantRegionScope: string; // WW, NA, EU, USGov ...
  tenantRegionSubScope?: string; // GCC, DODCON, DOD
  applications: Application[];
  servicePrincipals: ServicePrincipal[];
  appRoleAssignments: AppRoleAssignment[];
  oauth2PermissionGrants: OAuth2PermissionGrant[];
  users: User[];
  subscribedSkus: SubscribedSku[];
  securityDefaultsEnabled: boolean;
  conditionalAccessPolicies: ConditionalAccessPolicy[];
  /** Security groups (Conditional Access may target them). */
  groups?: Group[];
  exchange: {
    /** Set-TransportConfig -SmtpClientAuthenticationDisabled */
    smtpClientAuthenticationDisabled: boolean;
    servicePrincipals: ExchangeServicePrincipal[];
    mailboxPermissions: MailboxPermission[];
    recipientPermissions?: RecipientPermission[];
    managementScopes?: ManagementScope[];
    appRoleAssignments?: AppManagementRoleAssignment[];
    /** Users on the Restricted entities list (blocked for sending spam): Exchange refuses their mail with 5.1.8. */
    restrictedSenders?: string[];
  };
  /**
   * Password grant with named scopes of which only some are consented: issue a token for the consented ones (the
   * partial token of issue #12) instead of refusing with AADSTS65001. Off: every named scope must be consented.
   */
  issueConsentedSubset?: boolean;
  /**
   * Home Realm Discovery policy AlternateIdLogin (email as an alternate login ID): sign-in names are matched against
   * the users' proxyAddresses as well as their UPNs.
   * https://learn.microsoft.com/entra/identity/authentication/howto-authentication-use-email-signin
   */
  alternateIdLogin?: boolean;
  /**
   * Access tokens the token endpoint issues as opaque handles instead of JWTs, per resource and kind (default jwt).
   * Microsoft documents access tokens as opaque to clients and encrypts more and more of them; Exchange and Graph
   * still accept the handle and judge the claims behind it. https://learn.microsoft.com/entra/identity-platform/access-tokens
   */
  tokenFormat?: Partial<Record<TokenKind, TokenFormat>>;
  /**
   * Leave `scope` out of delegated token responses, as RFC 6749 §5.1 allows when it equals the requested scope (Entra
   * always names it; an issuer or proxy in between may not). With an opaque token nothing then names the scopes.
   */
  omitResponseScope?: boolean;
  /** Graph throttling: answer this many Graph requests with 429 before serving normally (Infinity = always). */
  graphThrottle?: { requests: number; retryAfterSeconds: number };
}

/** The access tokens tokenFormat sets apart: the resource (Exchange Online, Microsoft Graph) and user or app-only. */
export type TokenKind = 'exchangeDelegated' | 'exchangeAppOnly' | 'graphDelegated' | 'graphAppOnly';
export type TokenFormat = 'jwt' | 'opaque';

/** Credentials a demo run (or a test) uses against the emulated tenant. Demo values, not real secrets. */
export interface DemoCredentials {
  tenantId: string;
  domain: string;
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  /** An auditing app with Application.Read.All, Policy.Read.All, Directory.Read.All: the directory reader. */
  adminClientId: string;
  adminClientSecret: string;
}

/** A named scenario: a small change to the healthy tenant reproducing one real-world failure. */
export interface Scenario {
  name: string;
  description: string;
  apply(tenant: TenantModel, creds: DemoCredentials): void;
  /** When the scenario is about what the connector is told (wrong password), not the tenant itself. */
  credentials?(creds: DemoCredentials): DemoCredentials;
}
