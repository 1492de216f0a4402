// Shared judgement of the `roles` claim of an app-only token against the application permissions the activities need.
import type { CheckContext, Outcome } from '../core/check.js';
import type { AppResource } from '../clients/types.js';
import type { Permission } from '../m365/permissions.js';
import { readRoles } from '../auth/claims.js';

/**
 * `needed`: what the connector profile needs (missing = fail). `known`: what the vendor list asks for; those the
 * profile does not need are only mentioned in a pass (ROLES_NOT_NEEDED), never failed.
 */
export async function judgeAppRoles(
  ctx: CheckContext,
  resource: AppResource,
  needed: Permission[],
  known: Permission[] = needed,
): Promise<Outcome<'ROLES_OK' | 'ROLES_MISSING' | 'ROLES_NOT_NEEDED' | 'ROLES_UNREADABLE'>> {
  // An Entra refusal of the token is the check's finding: both app-role checks declare entraRefusal 'fail'.
  const token = await ctx.clients.tokens.appOnly(resource);
  const roles = readRoles(token.claims);
  const audience = String(token.claims.aud ?? '');
  const held = roles ?? [];
  const missing = needed.filter((p) => !held.includes(p.value));
  const evidence = { aud: audience, roles: held, needed: needed.map((p) => p.value), jwt: roles !== undefined };
  const resourceName =
    needed[0]?.resource ??
    known[0]?.resource ??
    (resource === 'graph' ? 'Microsoft Graph' : 'Office 365 Exchange Online');
  if (needed.length === 0) {
    const mentioned = known.filter((p) => held.includes(p.value)).map((p) => p.value);
    const heldText = !roles
      ? 'roles that cannot be read (not a JWT)'
      : mentioned.length
        ? mentioned.join(', ')
        : 'none of them';
    return {
      status: 'pass',
      code: 'ROLES_NOT_NEEDED',
      evidence,
      data: { resource: resourceName, profile: ctx.config.profile, held: heldText },
    };
  }
  // An opaque token names no roles that can be read: that is not a missing consent.
  if (!roles)
    return {
      status: 'warn',
      code: 'ROLES_UNREADABLE',
      evidence,
      data: { resource: resourceName, clientId: ctx.config.clientId },
    };
  const [firstMissing] = missing;
  if (!firstMissing)
    return {
      status: 'pass',
      code: 'ROLES_OK',
      data: { roles: needed.map((p) => p.value).join(', '), resource: resourceName },
      evidence,
    };
  return {
    status: 'fail',
    code: 'ROLES_MISSING',
    evidence,
    causedBy: await missingRoleCause(
      ctx,
      missing.map((p) => p.value),
    ),
    data: {
      missing: missing.map((p) => p.value).join(', '),
      resource: resourceName,
      resourceAppId: firstMissing.resourceAppId,
      clientId: ctx.config.clientId,
      tenant: ctx.config.tenant,
      roleIds: missing.map((p) => `${p.value}=${p.id}`).join(', '),
      authorityHost: ctx.config.endpoints.authorityHost,
    },
  };
}

/** Code texts both app-role checks declare. */
export const APP_ROLE_CODES = {
  ROLES_OK: { message: 'The app-only token for {resource} carries {roles}.' },
  ROLES_UNREADABLE: {
    message:
      'The app-only token for {resource} is not a JWT: its application permissions cannot be read from it. The logins will tell whether it is accepted.',
    remediation:
      'Nothing to change if the logins pass: Microsoft documents access tokens as opaque to clients (they may be encrypted or not a JWT; learn.microsoft.com/entra/identity-platform/access-tokens). If the logins fail, check the application permissions consented to app {clientId} (admin-consent), then --authority-host and any proxy in between.',
  },
  ROLES_NOT_NEEDED: {
    message:
      'The {profile} connector profile needs no application permission of {resource}; the token carries {held} (mentioned only).',
  },
  ROLES_MISSING: {
    message:
      'The app-only token for {resource} lacks the application permission(s) {missing}: admin consent is missing.',
    remediation:
      'Entra admin center > App registrations > {clientId} > API permissions > Add a permission > {resource} > Application permissions > {missing}; then "Grant admin consent". Or as an administrator open {authorityHost}/{tenant}/adminconsent?client_id={clientId}. Role ids: {roleIds}.',
  },
};

/**
 * Why the roles are missing, when a consulted check found it: the app registration does not request them
 * (app-registration PERMISSION_MISSING), or it does and nobody consented (admin-consent CONSENT_MISSING).
 */
export async function missingRoleCause(ctx: CheckContext, roles: readonly string[]): Promise<string | undefined> {
  const registration = await ctx.settled('app-registration');
  if (
    registration?.code === 'PERMISSION_MISSING' &&
    roles.every((r) => missingFromRegistration(registration).includes(r))
  )
    return 'app-registration';
  const consent = await ctx.settled('admin-consent');
  return consent?.code === 'CONSENT_MISSING' ? 'admin-consent' : undefined;
}

/** Permission names app-registration's evidence marks MISSING ("IMAP.AccessAsApp (application, ...) MISSING"). */
export function missingFromRegistration(registration: { evidence: Record<string, unknown> }): string[] {
  const list = registration.evidence.permissions;
  return Array.isArray(list)
    ? list
        .map(String)
        .filter((p) => p.endsWith(' MISSING'))
        .map((p) => p.split(' ')[0]!) // split() always yields at least one element
    : [];
}
