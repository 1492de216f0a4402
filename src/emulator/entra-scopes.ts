// Reads a token request's `scope` the way Entra does: OIDC scopes aside, every other scope names one resource
// (by URI prefix; a bare name means Microsoft Graph), and all of them must name the same one.
import { EXCHANGE_APP_ID, GRAPH_APP_ID, type ServicePrincipal, type TenantModel } from './model.js';
import { EntraFailure } from './entra-errors.js';

export const OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const;

/** Resource identifiers of the first-party resources the emulator knows, normalised (lower case, no trailing slash). */
const RESOURCE_IDS: Record<string, string> = {
  'https://graph.microsoft.com': GRAPH_APP_ID,
  'https://outlook.office.com': EXCHANGE_APP_ID,
  'https://outlook.office365.com': EXCHANGE_APP_ID,
  'https://ps.outlook.com': EXCHANGE_APP_ID,
  [GRAPH_APP_ID]: GRAPH_APP_ID,
  [EXCHANGE_APP_ID]: EXCHANGE_APP_ID,
};

export interface ResolvedScopes {
  /** The resource's service principal in this tenant. */
  resource: ServicePrincipal;
  /** Audience of the token: the resource identifier the request named. */
  audience: string;
  /** The prefix Entra puts before granted scope names in the response. */
  prefix: string;
  /** Named delegated scope values, in the resource's own spelling; empty with .default. */
  values: string[];
  isDefault: boolean;
  /** OIDC scopes requested (openid, profile, email, offline_access). */
  oidc: string[];
}

const normalise = (id: string) => id.replace(/\/+$/, '').toLowerCase();

export function resolveScopes(tenant: TenantModel, scopeParam: string): ResolvedScopes {
  const oidc: string[] = [];
  const named: Array<{ resourceId: string; appId: string | undefined; value: string }> = [];
  for (const raw of scopeParam.split(/\s+/).filter(Boolean)) {
    if ((OIDC_SCOPES as readonly string[]).includes(raw.toLowerCase())) {
      oidc.push(raw.toLowerCase());
      continue;
    }
    const slash = raw.lastIndexOf('/');
    if (slash <= 0) {
      named.push({ resourceId: 'https://graph.microsoft.com', appId: GRAPH_APP_ID, value: raw });
      continue;
    }
    const resourceId = raw.slice(0, slash);
    named.push({ resourceId, appId: RESOURCE_IDS[normalise(resourceId)], value: raw.slice(slash + 1) });
  }
  if (!named.length) named.push({ resourceId: 'https://graph.microsoft.com', appId: GRAPH_APP_ID, value: '.default' });

  const distinct = new Set(named.map((n) => n.appId ?? normalise(n.resourceId)));
  if (distinct.size > 1) throw new EntraFailure(700022, { scope: scopeParam });
  const first = named[0];
  const resource = first.appId ? tenant.servicePrincipals.find((s) => s.appId === first.appId) : undefined;
  if (!resource) throw new EntraFailure(500011, { resource: first.resourceId, tenantName: tenant.tenantId });

  const audience = first.resourceId === first.appId ? first.appId : first.resourceId.replace(/\/+$/, '');
  const isDefault = named.some((n) => n.value === '.default');
  const values: string[] = [];
  if (!isDefault) {
    for (const n of named) {
      const scope = resource.oauth2PermissionScopes.find(
        (s) => s.value.toLowerCase() === n.value.toLowerCase() && s.isEnabled,
      );
      if (!scope) throw new EntraFailure(70011, { scope: `${n.resourceId}/${n.value}` });
      if (!values.includes(scope.value)) values.push(scope.value);
    }
  }
  return { resource, audience, prefix: `${audience}/`, values, isDefault, oidc };
}

/** Delegated scopes a client holds on a resource for a user: admin (AllPrincipals) or that user's own consent.
 * Exchange's IMAP/POP/SMTP scopes are also honoured when granted on Microsoft Graph, where the portal lists them. */
export function consentedScopes(
  tenant: TenantModel,
  clientSpId: string,
  resource: ServicePrincipal,
  userId: string,
): Set<string> {
  const graphSp = tenant.servicePrincipals.find((s) => s.appId === GRAPH_APP_ID);
  const resourceIds = new Set([resource.id]);
  if (resource.appId === EXCHANGE_APP_ID && graphSp) resourceIds.add(graphSp.id);
  const known = new Map(resource.oauth2PermissionScopes.map((s) => [s.value.toLowerCase(), s.value]));
  const granted = new Set<string>();
  for (const g of tenant.oauth2PermissionGrants) {
    if (g.clientId !== clientSpId || !resourceIds.has(g.resourceId)) continue;
    if (g.consentType === 'Principal' && g.principalId !== userId) continue;
    for (const value of g.scope.split(/\s+/).filter(Boolean)) {
      const canonical = known.get(value.toLowerCase());
      if (canonical && !(OIDC_SCOPES as readonly string[]).includes(canonical)) granted.add(canonical);
    }
  }
  return granted;
}

/** Values of the app roles assigned to a client service principal on a resource (the `roles` claim). */
export function assignedRoles(tenant: TenantModel, clientSpId: string, resource: ServicePrincipal): string[] {
  return tenant.appRoleAssignments
    .filter((a) => a.principalId === clientSpId && a.resourceId === resource.id)
    .map((a) => resource.appRoles.find((r) => r.id === a.appRoleId && r.isEnabled)?.value)
    .filter((v): v is string => typeof v === 'string');
}
