// Entra ID error answers: the AADSTS codes the emulator produces, their OAuth class, HTTP status and text,
// rendered in the body shape Entra uses (error_description with trace lines, error_codes, ids, error_uri).
import { randomUUID } from 'node:crypto';

interface ErrorSpec {
  status: number;
  error: string;
  text: (p: Record<string, string>) => string;
  suberror?: string;
}

const SPECS: Record<number, ErrorSpec> = {
  // Entra's answer during a directory outage, as connectors have logged it (HTTP 503, temporarily_unavailable).
  90033: {
    status: 503,
    error: 'temporarily_unavailable',
    text: () => 'A transient error has occurred. Please try again.',
  },
  90002: {
    status: 400,
    error: 'invalid_request',
    text: (p) =>
      `Tenant '${p.tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
  },
  9001023: {
    status: 400,
    error: 'invalid_request',
    text: () =>
      'The grant type is not supported over the /common or /consumers endpoints. Please use the /organizations or tenant-specific endpoint.',
  },
  900144: {
    status: 400,
    error: 'invalid_request',
    text: (p) => `The request body must contain the following parameter: '${p.name}'.`,
  },
  70003: {
    status: 400,
    error: 'unsupported_grant_type',
    text: (p) => `The app requested an unsupported grant type '${p.grant}'.`,
  },
  700016: {
    status: 400,
    error: 'unauthorized_client',
    text: (p) =>
      `Application with identifier '${p.appId}' was not found in the directory '${p.tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
  },
  7000215: {
    status: 401,
    error: 'invalid_client',
    text: (p) =>
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${p.appId}'.`,
  },
  7000222: {
    status: 401,
    error: 'invalid_client',
    text: (p) =>
      `The provided client secret keys for app '${p.appId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
  },
  7000218: {
    status: 401,
    error: 'invalid_client',
    text: () => "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
  },
  7000112: {
    status: 400,
    error: 'unauthorized_client',
    text: (p) => `Application '${p.appId}'(${p.name}) is disabled.`,
  },
  700022: {
    status: 400,
    error: 'invalid_scope',
    text: (p) =>
      `The provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${p.scope} is not valid.`,
  },
  70011: {
    status: 400,
    error: 'invalid_scope',
    text: (p) => `The provided value for the input parameter 'scope' is not valid. The scope ${p.scope} is not valid.`,
  },
  1002012: {
    status: 400,
    error: 'invalid_scope',
    text: (p) =>
      `The provided value for scope ${p.scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
  },
  500011: {
    status: 400,
    error: 'invalid_resource',
    text: (p) =>
      `The resource principal named ${p.resource} was not found in the tenant named ${p.tenantName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
  },
  50034: {
    status: 400,
    error: 'invalid_grant',
    text: (p) =>
      `The user account {EUII Hidden} does not exist in the ${p.tenant} directory. To sign into this application, the account must be added to the directory.`,
  },
  50126: {
    status: 400,
    error: 'invalid_grant',
    text: () => 'Error validating credentials due to invalid username or password.',
  },
  50056: {
    status: 400,
    error: 'invalid_grant',
    text: () => 'Invalid or null password: password does not exist in the directory for this user.',
  },
  50020: {
    status: 400,
    error: 'invalid_grant',
    text: (p) =>
      `User account '{EUII Hidden}' from identity provider '${p.idp}' does not exist in tenant '${p.tenant}' and cannot access the application '${p.appId}'(${p.name}) in that tenant. The account needs to be added as an external user in the tenant first.`,
  },
  50105: {
    status: 400,
    error: 'invalid_grant',
    text: (p) =>
      `Your administrator has configured the application ${p.name} ('${p.appId}') to block users unless they are specifically granted ('assigned') access to the application. The signed in user '{EUII Hidden}' is blocked because they are not a direct member of a group with access, nor had access directly assigned by an administrator.`,
  },
  50053: {
    status: 400,
    error: 'invalid_grant',
    text: () => "The account is locked, you've tried to sign in too many times with an incorrect user ID or password.",
  },
  50057: { status: 400, error: 'invalid_grant', text: () => 'The user account is disabled.' },
  50055: {
    status: 401,
    error: 'user_password_expired',
    suberror: 'user_password_expired',
    text: () => 'The password is expired.',
  },
  // Text from the Entra error code reference (https://learn.microsoft.com/entra/identity-platform/reference-error-codes).
  53000: {
    status: 400,
    error: 'invalid_grant',
    text: () =>
      "Conditional Access policy requires a compliant device, and the device isn't compliant. The user must enroll their device with an approved MDM provider like Intune.",
  },
  53001: {
    status: 400,
    error: 'invalid_grant',
    text: () =>
      "Conditional Access policy requires a domain joined device, and the device isn't domain joined. Have the user use a domain joined device.",
  },
  53003: {
    status: 400,
    error: 'invalid_grant',
    text: () =>
      'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.',
  },
  50076: {
    status: 400,
    error: 'invalid_grant',
    suberror: 'basic_action',
    text: (p) =>
      `Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '${p.resourceAppId}'.`,
  },
  65001: {
    status: 400,
    error: 'invalid_grant',
    suberror: 'consent_required',
    text: (p) =>
      `The user or administrator has not consented to use the application with ID '${p.appId}' named '${p.name}'. Send an interactive authorization request for this user and resource.`,
  },
  70000: { status: 400, error: 'invalid_grant', text: () => 'Provided grant is invalid or malformed.' },
  70016: {
    status: 400,
    error: 'authorization_pending',
    text: () => 'OAuth 2.0 device flow error. Authorization is pending. Continue polling.',
  },
  70019: { status: 400, error: 'expired_token', text: () => 'Verification code expired.' },
};

/** An Entra error decided while handling a request; the server renders it with fresh trace ids. */
export class EntraFailure extends Error {
  constructor(
    readonly code: number,
    readonly params: Record<string, string> = {},
    readonly extra: { claims?: string; password_change_url?: string; errorClass?: string } = {},
  ) {
    super(`AADSTS${code}`);
  }
}

/** "2026-11-26 08:01:02Z", the timestamp format of Entra error bodies. */
export function entraTimestamp(d = new Date()): string {
  return `${d.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

export function renderEntraError(f: EntraFailure): { status: number; body: Record<string, unknown> } {
  const spec = SPECS[f.code];
  if (!spec) throw new Error(`no Entra error text for AADSTS${f.code}`);
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = entraTimestamp();
  const body: Record<string, unknown> = {
    error: f.extra.errorClass ?? spec.error,
    error_description: `AADSTS${f.code}: ${spec.text(f.params)}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [f.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${f.code}`,
  };
  if (spec.suberror) body.suberror = spec.suberror;
  if (f.extra.claims) body.claims = f.extra.claims;
  if (f.extra.password_change_url) body.password_change_url = f.extra.password_change_url;
  return { status: spec.status, body };
}
