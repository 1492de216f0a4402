// Cause and fix for every Entra ID (AADSTS) error a connector's token requests can meet (facts §3).
// Remediation placeholders ({tenant}, {clientId}, {username}, {authorityHost}) are filled by the runner from outcome.data.
import type { CodeText } from '../core/check.js';

interface AadstsEntry extends CodeText {
  name: string;
  /** An outage on Entra's side, not a finding about the tenant: a check meeting it could not decide (error, not fail). */
  transient?: true;
}

const ENTRIES: Record<number, AadstsEntry> = {
  50034: {
    name: 'UserAccountNotFound',
    message: 'Entra ID does not know the user {username} in this tenant (AADSTS50034).',
    remediation:
      "Check the spelling of the user principal name, that the user lives in tenant {tenant}, and that --cloud matches the tenant's cloud.",
  },
  50053: {
    name: 'IdsLocked',
    message: 'The account is locked by smart lockout, or sign-ins from this IP address are blocked (AADSTS50053).',
    remediation:
      'Stop every process retrying this password, wait for the lockout to end (about 30 minutes by default), then check the sign-in log entry (Entra admin center > Users > Sign-in logs) for the exact reason.',
  },
  50055: {
    name: 'InvalidPasswordExpiredPassword',
    message: "The user's password has expired (AADSTS50055).",
    remediation:
      'Reset the password of {username} (Microsoft 365 admin center > Users > Reset password), or set a non-expiring password policy for this service account: Update-MgUser -UserId {username} -PasswordPolicies DisablePasswordExpiration',
  },
  50056: {
    name: 'InvalidOrNullPassword',
    message: 'No password is stored in Entra ID for the user (AADSTS50056).',
    remediation: 'Set a cloud password for {username}, or enable password hash sync for its domain.',
  },
  50057: {
    name: 'UserDisabled',
    message: 'The user account is disabled (AADSTS50057).',
    remediation:
      'Enable sign-in for {username}: Microsoft 365 admin center > Users > Block sign-in off, or Update-MgUser -UserId {username} -AccountEnabled:$true',
  },
  50059: {
    name: 'MissingTenantRealmAndNoUserInformationProvided',
    message: 'Entra ID could not tell which tenant the request is for (AADSTS50059).',
    remediation: 'Use the tenant id or a verified domain as --tenant, not "common".',
  },
  50072: {
    name: 'UserStrongAuthEnrollmentRequiredInterrupt',
    message: 'The user must register for multi-factor authentication first (AADSTS50072); ROPC cannot do that.',
    remediation:
      'Exclude the service account from the MFA registration policy, or move the connector to a flow that supports MFA (device code, authorization code) or to app-only access.',
  },
  50074: {
    name: 'UserStrongAuthClientAuthNRequiredInterrupt',
    message: 'Multi-factor authentication is required and was not done (AADSTS50074); ROPC cannot do MFA.',
    remediation:
      'Exclude the service account from the policy that requires MFA, or move the connector to a flow that supports MFA or to app-only access.',
  },
  50076: {
    name: 'UserStrongAuthClientAuthNRequired',
    message:
      'Multi-factor authentication is required for this sign-in (AADSTS50076), and the password grant (ROPC) cannot satisfy it.',
    remediation:
      'Find the cause in the sign-in log: a Conditional Access policy, per-user MFA or security defaults. Exclude the service account {username} (or the app {clientId}) from that policy, or turn off per-user MFA for it; otherwise the connector must move to app-only access (IMAP.AccessAsApp / POP.AccessAsApp) or a flow that supports MFA.',
  },
  50079: {
    name: 'UserStrongAuthEnrollmentRequired',
    message: 'The user must register for multi-factor authentication (AADSTS50079); ROPC cannot do that.',
    remediation: "Exclude the service account from MFA registration, or change the connector's flow.",
  },
  50126: {
    name: 'InvalidUserNameOrPassword',
    message: 'Entra ID rejected the user name or password (AADSTS50126).',
    remediation:
      "Check the password of {username} (sign in once at https://myaccount.microsoft.com to confirm it). m365-doctor tried once only, to avoid a lockout. If the user's domain is federated, ROPC needs password hash sync and a home realm discovery policy with AllowCloudPasswordValidation = true.",
  },
  50135: {
    name: 'PasswordChangeCompromisedPassword',
    message: 'A password change is required because of account risk (AADSTS50135).',
    remediation: 'Reset the password of {username} and review Identity Protection risky users.',
  },
  50144: {
    name: 'InvalidPasswordExpiredOnPremPassword',
    message: "The user's on-premises password has expired (AADSTS50144).",
    remediation: 'Reset the password in on-premises Active Directory and let it sync.',
  },
  50158: {
    name: 'ExternalSecurityChallenge',
    message: 'An external security challenge was not satisfied (AADSTS50158); ROPC cannot answer it.',
    remediation: "Exclude the service account from the external MFA / custom control, or change the connector's flow.",
  },
  50173: {
    name: 'FreshTokenNeeded',
    message: 'The refresh token was revoked (AADSTS50173).',
    remediation: 'Sign in again to get a fresh token.',
  },
  50196: {
    name: 'LoopDetected',
    message: 'Entra ID saw the same token request too often (AADSTS50196).',
    remediation: 'Cache tokens in the connector and back off before retrying.',
  },
  50020: {
    name: 'UserUnauthorized',
    message: 'The user is from another identity provider or not a member of this tenant (AADSTS50020).',
    remediation: 'Use a member account of tenant {tenant}; guests and personal Microsoft accounts cannot use ROPC.',
  },
  50105: {
    name: 'EntitlementGrantsNotFound',
    message: 'The user is not assigned to the application, and the application requires assignment (AADSTS50105).',
    remediation:
      'Assign {username} to the enterprise application, or set "Assignment required?" to No (Entra admin center > Enterprise applications > the app > Properties).',
  },
  500011: {
    name: 'InvalidResourceServicePrincipalNotFound',
    message: 'The resource (Exchange Online or Graph) was not found in the tenant (AADSTS500011).',
    remediation:
      'Check that the tenant has Exchange Online and that --cloud matches it; the Exchange resource differs per cloud.',
  },
  53000: {
    name: 'DeviceNotCompliant',
    message: 'Conditional Access requires a compliant device (AADSTS53000); ROPC cannot present one.',
    remediation: 'Exclude the service account or the app from that Conditional Access policy.',
  },
  53001: {
    name: 'DeviceNotDomainJoined',
    message:
      'Conditional Access requires a hybrid Microsoft Entra joined device (AADSTS53001); ROPC cannot present one.',
    remediation:
      'Exclude the service account or the app from that Conditional Access policy, or move the connector to app-only access.',
  },
  53003: {
    name: 'BlockedByConditionalAccess',
    message: 'A Conditional Access policy blocked the sign-in (AADSTS53003).',
    remediation:
      'Open the sign-in log entry of {username} to see which policy applied, and exclude the service account or the app {clientId} from it (Entra admin center > Protection > Conditional Access).',
  },
  530032: {
    name: 'BlockedByConditionalAccessOnSecurityPolicy',
    message: 'A tenant security policy blocked the sign-in (AADSTS530032).',
    remediation: "Review the tenant's security policies for this account.",
  },
  530035: {
    name: 'BlockedBySecurityDefaults',
    message: 'Security defaults blocked the sign-in (AADSTS530035).',
    remediation:
      'Security defaults block this kind of sign-in; replace them with Conditional Access policies that exclude the service account, or move the connector to app-only access.',
  },
  65001: {
    name: 'DelegationDoesNotExist',
    message:
      'Nobody has consented to the delegated permissions the connector asks for (AADSTS65001); ROPC cannot ask for consent.',
    remediation:
      'Grant admin consent: Entra admin center > App registrations > the app > API permissions > Grant admin consent for the tenant, or open {authorityHost}/{tenant}/adminconsent?client_id={clientId} as an administrator.',
  },
  65002: {
    name: 'FirstPartyPreauthorizationRequired',
    message: 'The client id belongs to a Microsoft first-party application (AADSTS65002).',
    remediation: 'Register your own application and use its client id.',
  },
  650057: {
    name: 'InvalidResource',
    message: "The requested resource is not in the app's API permissions (AADSTS650057).",
    remediation: 'Add the missing API permission to the app registration and grant admin consent.',
  },
  70000: { name: 'InvalidGrant', message: 'The grant is invalid (AADSTS70000).', remediation: 'Sign in again.' },
  70011: {
    name: 'InvalidScope',
    message: 'A requested scope is malformed or unknown (AADSTS70011).',
    remediation: 'Check the scopes and the --cloud setting; Exchange scopes differ per cloud.',
  },
  700016: {
    name: 'UnauthorizedClient_DoesNotMatchRequest',
    message: 'Application {clientId} was not found in tenant {tenant} (AADSTS700016).',
    remediation:
      'Use the "Application (client) ID" from the app registration\'s Overview page (not its object id or the secret id), check that the app is registered in this tenant (or is multi-tenant and consented here) and that --cloud is right.',
  },
  700022: {
    name: 'InvalidMultipleResourcesScope',
    message: 'One token request named scopes of more than one resource (AADSTS700022).',
    remediation: 'Request tokens for one resource at a time.',
  },
  700025: {
    name: 'InvalidClientPublicClientWithCredential',
    message: 'The app is a public client but a client secret was sent (AADSTS700025).',
    remediation: 'Either drop the client secret, or turn "Allow public client flows" off so the app is confidential.',
  },
  7000112: {
    name: 'UnauthorizedClientApplicationDisabled',
    message: 'The application is disabled in the tenant (AADSTS7000112).',
    remediation:
      'Enable the enterprise application: Entra admin center > Enterprise applications > the app > Properties > Enabled for users to sign-in = Yes.',
  },
  7000215: {
    name: 'InvalidClientSecretProvided',
    message: 'The client secret is wrong (AADSTS7000215).',
    remediation:
      "Use the secret's Value, not its Secret ID (Entra admin center > App registrations > the app > Certificates & secrets). The value is shown only once: create a new secret if it was not saved.",
  },
  7000218: {
    name: 'InvalidClientNoCredential',
    message: 'The request needs a client secret or assertion (AADSTS7000218): the app is confidential.',
    remediation:
      'Give the client secret (M365_DOCTOR_CLIENT_SECRET), or set "Allow public client flows" to Yes on the app registration (Authentication page).',
  },
  7000222: {
    name: 'InvalidClientSecretExpiredKeysProvided',
    message: 'The client secret has expired (AADSTS7000222).',
    remediation:
      'Create a new client secret (Entra admin center > App registrations > the app > Certificates & secrets > New client secret), update the connector with its value, then delete the expired one.',
  },
  90002: {
    name: 'InvalidTenantName',
    message: 'Tenant {tenant} was not found (AADSTS90002).',
    remediation:
      "Check the tenant id or domain (Entra admin center > Overview shows both), and that --cloud is the tenant's cloud: a GCC High tenant is not found on the global endpoints.",
  },
  // Entra answers it with HTTP 503 temporarily_unavailable and "A transient error has occurred. Please try again."
  90033: {
    name: 'MsodsServiceUnavailable',
    transient: true,
    message:
      "Entra ID had a transient outage (AADSTS90033: the Microsoft Online Directory Service it relies on was unavailable), so it could not answer; this says nothing about the tenant's configuration.",
    remediation:
      'Nothing to change in the tenant or the connector: re-run in a few minutes (a connector should retry later, with back-off). If it persists, check https://status.cloud.microsoft for an Entra ID incident.',
  },
  90072: {
    name: 'PassThroughUserMfaError',
    message: 'The account is not in this tenant or its sync anchor does not match (AADSTS90072).',
    remediation: 'Add the account to the tenant or fix the ImmutableID mismatch.',
  },
  900144: {
    name: 'MissingParameter',
    message: 'The token request lacked a required parameter (AADSTS900144).',
    remediation: 'This is a bug in the caller; report it with the JSON report attached.',
  },
  9001023: {
    name: 'GrantTypeNotSupportedOverCommon',
    message: 'The password grant is not supported on /common or /consumers (AADSTS9001023).',
    remediation: 'Use the tenant id or a verified domain as --tenant.',
  },
  90094: {
    name: 'AdminConsentRequired',
    message: 'An administrator must consent to the permissions (AADSTS90094).',
    remediation: "Grant admin consent for the tenant on the app's API permissions page.",
  },
  70003: {
    name: 'UnsupportedGrantType',
    message: 'Entra ID does not support the grant type asked for (AADSTS70003).',
    remediation: 'A bug in the caller; report it with the JSON report attached.',
  },
  1002012: {
    name: 'InvalidScopeForClientCredentials',
    message: 'A client-credentials request named a scope other than <resource>/.default (AADSTS1002012).',
    remediation:
      'Request <resource>/.default (e.g. https://outlook.office365.com/.default) in the client-credentials grant; the token then carries every consented application permission.',
  },
  70016: {
    name: 'AuthorizationPending',
    message: 'The device code sign-in has not been completed yet (AADSTS70016).',
    remediation: 'Finish the sign-in on the page the prompt showed.',
  },
  70019: {
    name: 'CodeExpired',
    message: 'The device code expired before the sign-in was completed (AADSTS70019).',
    remediation: 'Re-run and finish the sign-in within 15 minutes.',
  },
  50194: {
    name: 'NotMultiTenantApp',
    message: 'The app is single-tenant but was used on a multi-tenant endpoint (AADSTS50194).',
    remediation: 'Use the tenant id as --tenant.',
  },
};

/** Message and remediation for "AADSTS50126" (or 50126); undefined for codes we do not know. */
export function aadstsText(code: string | number): AadstsEntry | undefined {
  const n = typeof code === 'number' ? code : Number(String(code).replace(/^AADSTS/i, ''));
  return Number.isInteger(n) ? ENTRIES[n] : undefined;
}

/** True for an AADSTS code that reports an outage on Entra's side (retry later) rather than a cause in the tenant. */
export function isTransientAadsts(code: string | number): boolean {
  return aadstsText(code)?.transient === true;
}

export function knownAadstsCodes(): number[] {
  return Object.keys(ENTRIES)
    .map(Number)
    .sort((a, b) => a - b);
}
