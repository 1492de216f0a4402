// The token endpoint's judgement: request validation, client authentication, then the grant itself, in the
// order Entra ID applies them (facts §2.4, §2.5, §3). Failures are thrown as EntraFailure.
import {
  EXCHANGE_APP_ID,
  type Application,
  type ConditionalAccessPolicy,
  type ServicePrincipal,
  type TenantModel,
  type User,
} from './model.js';
import { EntraFailure } from './entra-errors.js';
import { firstPartyPublicClient } from './first-party.js';
import { assignedRoles, consentedScopes, resolveScopes, type ResolvedScopes } from './entra-scopes.js';
import {
  appOnlyAccessToken,
  clientInfo,
  delegatedAccessToken,
  idToken,
  newRefreshToken,
  type TokenSettings,
} from './entra-tokens.js';
import type { SigningKey } from './signing.js';
import type { DeviceCodeStore } from './device-codes.js';
import { isAddressOf } from './mailbox-addresses.js';

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
// MSAL sends the short form "device_code"; RFC 8628 names the URN. Entra accepts both.
const GRANTS = ['password', 'client_credentials', 'refresh_token', DEVICE_CODE_GRANT, 'device_code'];

const MAX_REFRESH_TOKENS = 10_000;

interface RefreshRecord {
  clientId: string;
  userId: string;
  scope: string;
  interactive: boolean;
}

export interface EntraState {
  tenant: () => TenantModel;
  authorityHost: () => string;
  key: SigningKey;
  settings: TokenSettings;
  deviceCodes: DeviceCodeStore;
  refreshTokens: Map<string, RefreshRecord>;
  autoApproveDeviceCodes: boolean;
}

/** Does a path segment name this tenant (its id or a verified domain)? */
export function namesTenant(tenant: TenantModel, segment: string): boolean {
  const s = segment.toLowerCase();
  return s === tenant.tenantId.toLowerCase() || tenant.domains.some((d) => d.isVerified && d.id.toLowerCase() === s);
}

export function findUser(tenant: TenantModel, upn: string): User | undefined {
  const u = upn.trim().toLowerCase();
  return tenant.users.find((x) => x.userPrincipalName.toLowerCase() === u);
}

interface Client {
  app: Application;
  sp: ServicePrincipal;
  confidential: boolean;
}

function basicAuth(header: string | undefined): { id: string; secret: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m) return undefined;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  // RFC 6749 §2.3.1: both parts are form-urlencoded before being joined.
  const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
  return { id: decode(text.slice(0, colon)), secret: decode(text.slice(colon + 1)) };
}

function param(form: URLSearchParams, name: string): string {
  const v = form.get(name);
  if (v === null || v === '') throw new EntraFailure(900144, { name });
  return v;
}

function authenticateClient(
  tenant: TenantModel,
  segment: string,
  clientId: string,
  secret: string | undefined,
  grant: string,
): Client {
  const registered = tenant.applications.find((a) => a.appId.toLowerCase() === clientId.toLowerCase());
  const firstParty =
    !registered && grant !== 'password' && grant !== 'client_credentials'
      ? firstPartyPublicClient(clientId)
      : undefined;
  const app = registered ?? firstParty?.app;
  const sp = firstParty?.sp ?? (app && tenant.servicePrincipals.find((s) => s.appId === app.appId));
  if (!app || !sp) throw new EntraFailure(700016, { appId: clientId, tenant: segment });
  let confidential = false;
  if (secret !== undefined) {
    const match = app.passwordCredentials.find((c) => c.secretText === secret);
    if (!match) throw new EntraFailure(7000215, { appId: app.appId });
    if (Date.parse(match.endDateTime) <= Date.now()) throw new EntraFailure(7000222, { appId: app.appId });
    confidential = true;
  } else if (!app.isFallbackPublicClient || grant === 'client_credentials') {
    throw new EntraFailure(7000218);
  }
  if (!sp.accountEnabled) throw new EntraFailure(7000112, { appId: app.appId, name: app.displayName });
  return { app, sp, confidential };
}

/** Does an enabled policy cover this ROPC sign-in? The emulated connector signs in from no named location. */
function coversPasswordSignIn(p: ConditionalAccessPolicy, user: User, resource: ServicePrincipal): boolean {
  if (p.state !== 'enabled') return false;
  const { users, applications, clientAppTypes, locations, authenticationFlows } = p.conditions;
  const groups = new Set(user.memberOf ?? []);
  const userIn = (ids: string[], groupIds: string[] = []) =>
    ids.includes('All') || ids.includes(user.id) || groupIds.some((g) => groups.has(g));
  const appIn = (list: string[]) =>
    list.includes('All') ||
    list.includes(resource.appId) ||
    (list.includes('Office365') && resource.appId === EXCHANGE_APP_ID);
  // ROPC is a modern-authentication client ("mobile apps and desktop clients"), never a legacy one.
  const clientIn = clientAppTypes.includes('all') || clientAppTypes.includes('mobileAppsAndDesktopClients');
  const locationIn = !locations || locations.includeLocations.includes('All');
  const flowIn = !authenticationFlows?.transferMethods;
  return (
    userIn(users.includeUsers, users.includeGroups) &&
    !userIn(users.excludeUsers, users.excludeGroups) &&
    appIn(applications.includeApplications) &&
    !appIn(applications.excludeApplications) &&
    clientIn &&
    locationIn &&
    flowIn
  );
}

/** Conditional Access, per-user MFA and security defaults for an interactive-less (ROPC) sign-in. */
function signInPolicy(tenant: TenantModel, user: User, resource: ServicePrincipal): void {
  const applies = tenant.conditionalAccessPolicies.filter((p) => coversPasswordSignIn(p, user, resource));
  const controls = (p: ConditionalAccessPolicy) => p.grantControls?.builtInControls ?? [];
  if (applies.some((p) => controls(p).includes('block'))) throw new EntraFailure(53003);
  const mfaPolicies = applies.filter((p) => controls(p).includes('mfa'));
  if (mfaPolicies.length || user.perUserMfa || tenant.securityDefaultsEnabled) {
    const claims = mfaPolicies.length
      ? JSON.stringify({ access_token: { capolids: { essential: true, values: mfaPolicies.map((p) => p.id) } } })
      : undefined;
    throw new EntraFailure(50076, { resourceAppId: resource.appId }, { claims });
  }
  // A device the password grant cannot present (error codes reference: 53000 compliant, 53001 hybrid joined).
  if (applies.some((p) => controls(p).includes('compliantDevice'))) throw new EntraFailure(53000);
  if (applies.some((p) => controls(p).includes('domainJoinedDevice'))) throw new EntraFailure(53001);
}

/**
 * The user a sign-in name names: its UPN, or with email as an alternate login ID (HRD policy AlternateIdLogin) one of
 * its proxy addresses, for cloud-authenticated members only.
 */
function findSignInUser(tenant: TenantModel, name: string): User | undefined {
  return (
    findUser(tenant, name) ??
    (tenant.alternateIdLogin
      ? tenant.users.find((u) => u.userType === 'Member' && u.namespaceType === 'Managed' && isAddressOf(u, name))
      : undefined)
  );
}

/** Password checks in Entra's order: unknown user, guest, federated, no password, wrong password, locked, disabled, expired. */
function checkPassword(tenant: TenantModel, client: Client, username: string, password: string): User {
  const user = findSignInUser(tenant, username);
  if (!user) throw new EntraFailure(50034, { tenant: tenant.tenantId });
  // An invited (guest) account signs in at its own identity provider; ROPC cannot send it there.
  if (user.userType === 'Guest') {
    throw new EntraFailure(50020, {
      idp: 'live.com',
      tenant: tenant.tenantId,
      appId: client.app.appId,
      name: client.app.displayName,
    });
  }
  if (user.namespaceType === 'Federated' && !user.allowCloudPasswordValidation) throw new EntraFailure(50126);
  // A passwordless account (FIDO2, Authenticator, SMS sign-in) has no password to test.
  if (!user.password) throw new EntraFailure(50056);
  if (user.password !== password) throw new EntraFailure(50126);
  if (user.locked) throw new EntraFailure(50053);
  if (!user.accountEnabled) throw new EntraFailure(50057);
  if (user.passwordExpired) {
    throw new EntraFailure(
      50055,
      {},
      { password_change_url: 'https://portal.microsoftonline.com/ChangePassword.aspx' },
    );
  }
  return user;
}

/** The delegated scopes to put in `scp`: .default means everything consented; named scopes must each be consented. */
function delegatedScopes(
  tenant: TenantModel,
  client: Client,
  scopes: ResolvedScopes,
  user: User,
  interactive: boolean,
): string[] {
  const granted = consentedScopes(tenant, client.sp.id, scopes.resource, user.id);
  if (interactive) {
    // A person signing in on the device-code page consents to what was asked.
    if (!scopes.isDefault) return scopes.values;
    if (granted.size) return [...granted];
    const requested =
      client.app.requiredResourceAccess.find((r) => r.resourceAppId === scopes.resource.appId)?.resourceAccess ?? [];
    return scopes.resource.oauth2PermissionScopes
      .filter((s) => requested.some((r) => r.type === 'Scope' && r.id === s.id))
      .map((s) => s.value)
      .filter((v) => !['offline_access', 'openid', 'profile', 'email'].includes(v));
  }
  let scp = scopes.isDefault ? [...granted] : scopes.values;
  if (tenant.issueConsentedSubset && scp.some((v) => granted.has(v))) scp = scp.filter((v) => granted.has(v));
  if (!scp.length || scp.some((v) => !granted.has(v))) {
    throw new EntraFailure(65001, { appId: client.app.appId, name: client.app.displayName });
  }
  return scp;
}

function delegatedResponse(
  state: EntraState,
  form: URLSearchParams,
  client: Client,
  user: User,
  scopes: ResolvedScopes,
  interactive: boolean,
): Record<string, unknown> {
  const tenant = state.tenant();
  const scp = delegatedScopes(tenant, client, scopes, user, interactive);
  const s = state.settings;
  const body: Record<string, unknown> = {
    token_type: 'Bearer',
    ...(tenant.omitResponseScope ? {} : { scope: [...scp.map((v) => scopes.prefix + v), ...scopes.oidc].join(' ') }),
    expires_in: s.lifetimeSeconds > 0 ? s.lifetimeSeconds - 1 : s.lifetimeSeconds,
    ext_expires_in: s.lifetimeSeconds > 0 ? s.lifetimeSeconds - 1 : s.lifetimeSeconds,
    access_token: delegatedAccessToken(state.key, s, {
      tenant,
      app: client.app,
      user,
      resource: scopes.resource,
      audience: scopes.audience,
      scp,
      confidential: client.confidential,
      amr: ['pwd'],
    }),
  };
  if (scopes.oidc.includes('offline_access')) {
    const rt = newRefreshToken();
    // Bounded memory: a long-running emulator forgets its oldest refresh tokens.
    if (state.refreshTokens.size >= MAX_REFRESH_TOKENS)
      state.refreshTokens.delete(state.refreshTokens.keys().next().value!);
    state.refreshTokens.set(rt, {
      clientId: client.app.appId,
      userId: user.id,
      scope: form.get('scope') ?? '',
      interactive,
    });
    body.refresh_token = rt;
  }
  if (scopes.oidc.includes('openid'))
    body.id_token = idToken(state.key, s, state.authorityHost(), tenant, client.app, user);
  if (form.get('client_info') === '1') body.client_info = clientInfo(user.id, tenant.tenantId);
  return body;
}

/** Handle one POST to /{tenant}/oauth2/v2.0/token. Returns the success body; throws EntraFailure otherwise. */
export function tokenGrant(
  state: EntraState,
  segment: string,
  form: URLSearchParams,
  authorization?: string,
): Record<string, unknown> {
  const tenant = state.tenant();
  const seg = segment.toLowerCase();
  const common = seg === 'common' || seg === 'consumers';
  if (!common && seg !== 'organizations' && !namesTenant(tenant, seg))
    throw new EntraFailure(90002, { tenant: segment });
  const grant = param(form, 'grant_type');
  if (common && grant === 'password') throw new EntraFailure(9001023);
  if (!GRANTS.includes(grant)) throw new EntraFailure(70003, { grant });
  const basic = basicAuth(authorization);
  const clientId = form.get('client_id') || basic?.id;
  if (!clientId) throw new EntraFailure(900144, { name: 'client_id' });
  const needed: Record<string, string[]> = {
    password: ['scope', 'username', 'password'],
    client_credentials: ['scope'],
    refresh_token: ['refresh_token'],
    [DEVICE_CODE_GRANT]: ['device_code'],
    device_code: ['device_code'],
  };
  for (const name of needed[grant]) param(form, name);
  const secret = form.get('client_secret') ?? basic?.secret ?? undefined;
  const client = authenticateClient(tenant, segment, clientId, secret, grant);

  if (grant === 'client_credentials') {
    const scope = form.get('scope')!;
    const scopes = resolveScopes(tenant, scope);
    if (!scopes.isDefault || scope.trim().split(/\s+/).length !== 1) throw new EntraFailure(1002012, { scope });
    const s = state.settings;
    return {
      token_type: 'Bearer',
      expires_in: s.lifetimeSeconds > 0 ? s.lifetimeSeconds - 1 : s.lifetimeSeconds,
      ext_expires_in: s.lifetimeSeconds > 0 ? s.lifetimeSeconds - 1 : s.lifetimeSeconds,
      access_token: appOnlyAccessToken(state.key, s, {
        tenant,
        app: client.app,
        clientSp: client.sp,
        resource: scopes.resource,
        audience: scopes.audience,
        roles: assignedRoles(tenant, client.sp.id, scopes.resource),
      }),
    };
  }

  if (grant === 'password') {
    const scopes = resolveScopes(tenant, form.get('scope')!);
    const user = checkPassword(tenant, client, form.get('username')!, form.get('password')!);
    if (client.sp.appRoleAssignmentRequired && !(client.sp.assignedUserIds ?? []).includes(user.id)) {
      throw new EntraFailure(50105, { appId: client.app.appId, name: client.app.displayName });
    }
    signInPolicy(tenant, user, scopes.resource);
    return delegatedResponse(state, form, client, user, scopes, false);
  }

  if (grant === 'refresh_token') {
    const record = state.refreshTokens.get(form.get('refresh_token')!);
    if (!record || record.clientId !== client.app.appId) throw new EntraFailure(70000);
    const user = tenant.users.find((u) => u.id === record.userId);
    if (!user) throw new EntraFailure(70000);
    if (!user.accountEnabled) throw new EntraFailure(50057);
    const scopes = resolveScopes(tenant, form.get('scope') || record.scope);
    return delegatedResponse(state, form, client, user, scopes, record.interactive);
  }

  // Device code: pending until a person (or a test) approves the user code.
  const entry = state.deviceCodes.byDeviceCode(form.get('device_code')!);
  if (!entry || entry.clientId.toLowerCase() !== client.app.appId.toLowerCase()) throw new EntraFailure(70000);
  if (entry.expiresAt <= Date.now()) throw new EntraFailure(70019);
  if (entry.approvedAs === undefined) throw new EntraFailure(70016);
  const user = entry.approvedAs ? findUser(tenant, entry.approvedAs) : tenant.users[0];
  if (!user) throw new EntraFailure(70000);
  state.deviceCodes.redeem(entry.deviceCode);
  return delegatedResponse(state, form, client, user, resolveScopes(tenant, entry.scope), true);
}

/** Handle POST /{tenant}/oauth2/v2.0/devicecode. */
export function deviceCodeStart(state: EntraState, segment: string, form: URLSearchParams): Record<string, unknown> {
  const tenant = state.tenant();
  const seg = segment.toLowerCase();
  if (!['common', 'organizations'].includes(seg) && !namesTenant(tenant, seg))
    throw new EntraFailure(90002, { tenant: segment });
  const clientId = param(form, 'client_id');
  const scope = param(form, 'scope');
  const registered = tenant.applications.find((a) => a.appId.toLowerCase() === clientId.toLowerCase());
  const app =
    registered && tenant.servicePrincipals.some((s) => s.appId === registered.appId)
      ? registered
      : firstPartyPublicClient(clientId)?.app;
  if (!app) throw new EntraFailure(700016, { appId: clientId, tenant: segment });
  resolveScopes(tenant, scope);
  const entry = state.deviceCodes.create(app.appId, scope, state.autoApproveDeviceCodes);
  const verificationUri = `${state.authorityHost()}/common/oauth2/deviceauth`;
  return {
    user_code: entry.userCode,
    device_code: entry.deviceCode,
    verification_uri: verificationUri,
    expires_in: Math.round((entry.expiresAt - Date.now()) / 1000),
    interval: 5,
    message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${entry.userCode} to authenticate.`,
  };
}
