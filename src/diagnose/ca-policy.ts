// Judges one Conditional Access policy (Graph's conditionalAccessPolicy, v1.0) against the connector's password
// (ROPC) sign-in to Exchange Online. Pure: the check reads the policies and the user's groups, this decides.
// Sources: https://learn.microsoft.com/graph/api/resources/conditionalaccesspolicy (shape),
// https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-conditions (client apps,
// locations, authentication flows), https://learn.microsoft.com/entra/identity/conditional-access/managed-policies,
// https://learn.microsoft.com/graph/api/resources/conditionalaccessusers (guests and external users).
import { EXCHANGE_APP_ID } from '../m365/permissions.js';

export interface GraphCaPolicy {
  id: string;
  displayName: string;
  state: 'enabled' | 'disabled' | 'enabledForReportingButNotEnforced' | string;
  createdDateTime?: string | null;
  conditions?: {
    users?: {
      includeUsers?: string[];
      excludeUsers?: string[];
      includeGroups?: string[];
      excludeGroups?: string[];
      includeRoles?: string[];
      excludeRoles?: string[];
      includeGuestsOrExternalUsers?: unknown;
      excludeGuestsOrExternalUsers?: unknown;
    } | null;
    applications?: {
      includeApplications?: string[];
      excludeApplications?: string[];
      includeUserActions?: string[];
    } | null;
    clientAppTypes?: string[] | null;
    locations?: { includeLocations?: string[]; excludeLocations?: string[] } | null;
    platforms?: { includePlatforms?: string[]; excludePlatforms?: string[] } | null;
    authenticationFlows?: { transferMethods?: string | null } | null;
    clientApplications?: { includeServicePrincipals?: string[] | null; servicePrincipalFilter?: unknown } | null;
    devices?: {
      includeDevices?: string[] | null;
      excludeDevices?: string[] | null;
      deviceFilter?: { rule?: string | null } | null;
    } | null;
    signInRiskLevels?: string[] | null;
    userRiskLevels?: string[] | null;
    insiderRiskLevels?: string | null;
  } | null;
  grantControls?: {
    operator?: string;
    builtInControls?: string[];
    termsOfUse?: string[];
    customAuthenticationFactors?: string[];
    authenticationStrength?: unknown;
  } | null;
  sessionControls?: {
    signInFrequency?: {
      isEnabled?: boolean;
      type?: string | null;
      value?: number | null;
      frequencyInterval?: string | null;
    } | null;
  } | null;
}

/** What the policy does to a sign-in it covers, strongest first; ROPC can satisfy none of them. */
export type Effect = 'block' | 'mfa' | 'device' | 'other-control';

export interface Judgement {
  policy: GraphCaPolicy;
  /** yes: covers the sign-in; maybe: only under a condition the doctor cannot see (location, risk, ...); no: does not. */
  covers: 'yes' | 'maybe' | 'no';
  /** Why not, or under which condition (for 'no' and 'maybe'). */
  reason?: string;
  /** Grant effect; undefined for a session-only policy. */
  effect?: Effect;
  /** "every 8 hours", "every time": a sign-in frequency session control, when the policy covers the sign-in. */
  signInFrequency?: string;
}

export interface Subject {
  userId: string;
  /** The connector's client id: a policy naming it as a resource is treated as naming the connector. */
  clientId: string;
  /** Group ids of the user (transitive); undefined when they could not be read. */
  groupIds?: ReadonlySet<string>;
  /** Graph's userType ('Member' / 'Guest'); undefined when the user could not be read. */
  userType?: string | null;
  /** Whether the connector signs in with a client secret (an OAuth confidential client); undefined when unknown. */
  confidential?: boolean;
}

/** Microsoft-managed policies cannot be renamed and carry this prefix in Graph (observed in real tenants' exports). */
export const MANAGED_PREFIX = 'Microsoft-managed:';
/** Microsoft turns a managed policy left in report-only on no less than 45 days after it appeared (managed-policies page). */
export const MANAGED_ENABLE_AFTER_DAYS = 45;

export const isMicrosoftManaged = (p: GraphCaPolicy) => p.displayName.trim().startsWith(MANAGED_PREFIX);

/** The earliest day (YYYY-MM-DD) Microsoft may turn a managed report-only policy on; undefined without a creation date. */
export function earliestManagedEnable(p: GraphCaPolicy): string | undefined {
  const created = Date.parse(p.createdDateTime ?? '');
  if (Number.isNaN(created)) return undefined;
  return new Date(created + MANAGED_ENABLE_AFTER_DAYS * 86_400_000).toISOString().slice(0, 10);
}

function effectOf(p: GraphCaPolicy): Effect | undefined {
  const g = p.grantControls;
  if (!g) return undefined;
  const built = g.builtInControls ?? [];
  if (built.includes('block')) return 'block';
  if (built.includes('mfa') || (g.authenticationStrength !== null && g.authenticationStrength !== undefined))
    return 'mfa';
  if (built.includes('compliantDevice') || built.includes('domainJoinedDevice')) return 'device';
  // Approved/compliant client app, password change, terms of use, custom controls: all need an interactive client.
  if (built.length || (g.termsOfUse ?? []).length || (g.customAuthenticationFactors ?? []).length)
    return 'other-control';
  return undefined;
}

function frequencyOf(p: GraphCaPolicy): string | undefined {
  const f = p.sessionControls?.signInFrequency;
  if (!f?.isEnabled) return undefined;
  if (f.frequencyInterval === 'everyTime') return 'every time';
  return f.value && f.type ? `every ${f.value} ${f.type}` : 'periodically';
}

/** A list condition counts as set only when it names something: imitations of Graph send empty lists for "not set". */
const named = (list: readonly string[] | null | undefined) => (list ?? []).length > 0;

/**
 * The guests-and-external-users part of the user condition (includeUsers/excludeUsers 'GuestsOrExternalUsers', or the
 * structured include/excludeGuestsOrExternalUsers): true when it may name this user. A Member of this tenant signing
 * in with its password here is none of those kinds (a B2B collaboration member signs in at its home tenant).
 */
function guestsMayName(user: Subject, legacyList: string[] | undefined, structured: unknown): boolean {
  const set = (legacyList ?? []).includes('GuestsOrExternalUsers') || (structured !== null && structured !== undefined);
  return set && user.userType !== 'Member';
}

/** Judges one policy; the state is not considered here (the caller sorts enabled from report-only). */
export function judge(p: GraphCaPolicy, s: Subject): Judgement {
  const no = (reason: string): Judgement => ({ policy: p, covers: 'no', reason, effect: effectOf(p) });
  const c = p.conditions ?? {};
  const u = c.users ?? {};
  const groups = s.groupIds;
  const has = (list: string[] | null | undefined, v: string) => (list ?? []).includes(v);
  const inGroups = (list: string[] | undefined) => (list ?? []).some((g) => groups?.has(g));
  const maybe: string[] = [];
  const guestKind = s.userType === 'Guest' ? 'a guest' : 'a guest or external user (its user type was not read)';

  if (has(u.excludeUsers, s.userId)) return no('the user is excluded');
  if (groups && inGroups(u.excludeGroups)) return no('a group of the user is excluded');
  if (!groups && named(u.excludeGroups))
    maybe.push('the user is not in an excluded group (group membership not readable)');
  if (named(u.excludeRoles)) maybe.push('the user holds none of the excluded directory roles (roles are not read)');
  if (guestsMayName(s, u.excludeUsers, u.excludeGuestsOrExternalUsers))
    maybe.push(`the user, ${guestKind}, is not of the guest kinds the policy excludes`);
  const userNamed =
    has(u.includeUsers, 'All') || has(u.includeUsers, s.userId) || (groups !== undefined && inGroups(u.includeGroups));
  if (!userNamed) {
    if (!groups && named(u.includeGroups))
      maybe.push('the user is in an included group (group membership not readable)');
    else if (named(u.includeRoles)) maybe.push('the user holds an included directory role (roles are not read)');
    else if (guestsMayName(s, u.includeUsers, u.includeGuestsOrExternalUsers))
      maybe.push(`the user, ${guestKind}, is of the guest kinds the policy includes`);
    else return no('the user is not included');
  }

  const a = c.applications ?? {};
  const resources = [EXCHANGE_APP_ID, s.clientId];
  const appNamed = (list: string[] | undefined) => resources.some((r) => has(list, r));
  // Office365 is the app group that holds Exchange Online (Graph: conditionalAccessApplications).
  if (appNamed(a.excludeApplications) || has(a.excludeApplications, 'Office365'))
    return no('Exchange Online or the app is excluded');
  if (!(
    has(a.includeApplications, 'All') ||
    has(a.includeApplications, 'Office365') ||
    appNamed(a.includeApplications)
  )) {
    return no('it targets other resources than Exchange Online');
  }

  // The password grant is OAuth, a modern-authentication client: "mobile apps and desktop clients", or "browser" for a
  // client that signs in as an OAuth confidential client (with a secret) as the connector does; never Exchange
  // ActiveSync or "other clients" (basic authentication). No list, or 'all', means every client app.
  const types = c.clientAppTypes ?? [];
  if (types.length && !types.includes('all') && !types.includes('mobileAppsAndDesktopClients')) {
    if (!types.includes('browser') || s.confidential === false)
      return no(`it targets only ${types.join(', ')} clients; the password grant is a modern-authentication client`);
    maybe.push('Entra counts the connector, an OAuth confidential client, among "browser" clients');
  }
  if (c.authenticationFlows?.transferMethods)
    return no(`it targets only ${c.authenticationFlows.transferMethods} sign-ins`);
  if (named(c.clientApplications?.includeServicePrincipals) || c.clientApplications?.servicePrincipalFilter)
    return no('it targets workload identities, not users');

  const loc = c.locations;
  if (
    loc &&
    (named(loc.includeLocations) || named(loc.excludeLocations)) &&
    !(has(loc.includeLocations, 'All') && !named(loc.excludeLocations))
  ) {
    maybe.push('the connector signs in from a location the policy covers');
  }
  const plat = c.platforms;
  if (
    plat &&
    (named(plat.includePlatforms) || named(plat.excludePlatforms)) &&
    !(has(plat.includePlatforms, 'all') && !named(plat.excludePlatforms))
  ) {
    maybe.push("Entra counts the connector's device platform among those the policy covers");
  }
  const risk = [...(c.signInRiskLevels ?? []), ...(c.userRiskLevels ?? [])];
  if (risk.length) maybe.push(`the sign-in or user is rated ${[...new Set(risk)].join('/')} risk`);
  if (c.insiderRiskLevels) maybe.push(`the user is rated ${c.insiderRiskLevels} insider risk`);
  const d = c.devices;
  if (d && (named(d.includeDevices) || named(d.excludeDevices) || d.deviceFilter?.rule))
    maybe.push('the device filter matches');

  return {
    policy: p,
    covers: maybe.length ? 'maybe' : 'yes',
    reason: maybe.length ? maybe.join('; ') : undefined,
    effect: effectOf(p),
    signInFrequency: frequencyOf(p),
  };
}

/** Words for an effect, as in "would {effect} the user's password sign-in". */
export const EFFECT_WORDS: Record<Effect, string> = {
  block: 'block',
  mfa: 'demand multi-factor authentication for',
  device: 'demand a compliant or hybrid-joined device for',
  'other-control': 'demand a control (approved app, terms of use, ...) that the password grant cannot satisfy for',
};
