// The Conditional Access judge, condition by condition, on Graph-shaped policies.
import { describe, expect, it } from 'vitest';
import { earliestManagedEnable, isMicrosoftManaged, judge, type GraphCaPolicy } from '../../src/diagnose/ca-policy.js';

const USER = '11111111-1111-1111-1111-111111111111';
const CLIENT = '22222222-2222-2222-2222-222222222222';
const GROUP = '33333333-3333-3333-3333-333333333333';
const subject = { userId: USER, clientId: CLIENT, groupIds: new Set<string>() };

function policy(over: Partial<GraphCaPolicy> & { conditions?: GraphCaPolicy['conditions'] } = {}): GraphCaPolicy {
  return {
    id: 'p1',
    displayName: 'P',
    state: 'enabled',
    createdDateTime: '2026-11-20T10:00:00Z',
    conditions: {
      users: {
        includeUsers: ['All'],
        excludeUsers: [],
        includeGroups: [],
        excludeGroups: [],
        includeRoles: [],
        excludeRoles: [],
      },
      applications: { includeApplications: ['All'], excludeApplications: [] },
      clientAppTypes: ['all'],
      locations: null,
      platforms: null,
      signInRiskLevels: [],
      userRiskLevels: [],
    },
    grantControls: {
      operator: 'OR',
      builtInControls: ['mfa'],
      termsOfUse: [],
      customAuthenticationFactors: [],
      authenticationStrength: null,
    },
    sessionControls: null,
    ...over,
  };
}
const withConditions = (c: Partial<NonNullable<GraphCaPolicy['conditions']>>) =>
  policy({ conditions: { ...policy().conditions, ...c } });

describe('judge', () => {
  it('covers the user for all apps, with the MFA effect', () => {
    expect(judge(policy(), subject)).toMatchObject({ covers: 'yes', effect: 'mfa' });
  });

  it('does not cover an excluded user, an excluded group, or a user not included', () => {
    expect(judge(withConditions({ users: { includeUsers: ['All'], excludeUsers: [USER] } }), subject).covers).toBe(
      'no',
    );
    expect(
      judge(withConditions({ users: { includeUsers: ['All'], excludeUsers: [], excludeGroups: [GROUP] } }), {
        ...subject,
        groupIds: new Set([GROUP]),
      }).covers,
    ).toBe('no');
    expect(judge(withConditions({ users: { includeUsers: ['None'], excludeUsers: [] } }), subject).covers).toBe('no');
    expect(
      judge(
        withConditions({ users: { includeUsers: ['44444444-4444-4444-4444-444444444444'], excludeUsers: [] } }),
        subject,
      ).covers,
    ).toBe('no');
  });

  it('covers through an included group, and says "maybe" when groups could not be read', () => {
    const byGroup = withConditions({ users: { includeUsers: [], excludeUsers: [], includeGroups: [GROUP] } });
    expect(judge(byGroup, { ...subject, groupIds: new Set([GROUP]) }).covers).toBe('yes');
    expect(judge(byGroup, subject).covers).toBe('no');
    expect(judge(byGroup, { userId: USER, clientId: CLIENT })).toMatchObject({
      covers: 'maybe',
      reason: expect.stringContaining('group'),
    });
  });

  it('applies to Exchange Online through All, Office365, its app id or the connector app; not to other apps', () => {
    const apps = (include: string[], exclude: string[] = []) =>
      judge(withConditions({ applications: { includeApplications: include, excludeApplications: exclude } }), subject)
        .covers;
    expect(apps(['Office365'])).toBe('yes');
    expect(apps(['00000002-0000-0ff1-ce00-000000000000'])).toBe('yes');
    expect(apps([CLIENT])).toBe('yes');
    expect(apps(['00000003-0000-0ff1-ce00-000000000000'])).toBe('no');
    expect(apps(['All'], ['Office365'])).toBe('no');
    expect(apps(['All'], ['00000002-0000-0ff1-ce00-000000000000'])).toBe('no');
  });

  it('skips legacy-client-only and device-code-flow-only policies (Block legacy authentication, Block device code flow)', () => {
    expect(judge(withConditions({ clientAppTypes: ['exchangeActiveSync', 'other'] }), subject).covers).toBe('no');
    expect(judge(withConditions({ clientAppTypes: ['mobileAppsAndDesktopClients'] }), subject).covers).toBe('yes');
    expect(judge(withConditions({ authenticationFlows: { transferMethods: 'deviceCodeFlow' } }), subject).covers).toBe(
      'no',
    );
  });

  it('says "maybe" for location, platform and risk conditions it cannot see', () => {
    expect(
      judge(withConditions({ locations: { includeLocations: ['All'], excludeLocations: ['AllTrusted'] } }), subject)
        .covers,
    ).toBe('maybe');
    expect(
      judge(withConditions({ locations: { includeLocations: ['All'], excludeLocations: [] } }), subject).covers,
    ).toBe('yes');
    expect(judge(withConditions({ platforms: { includePlatforms: ['android', 'iOS'] } }), subject).covers).toBe(
      'maybe',
    );
    expect(judge(withConditions({ signInRiskLevels: ['high'] }), subject)).toMatchObject({
      covers: 'maybe',
      reason: expect.stringContaining('high risk'),
    });
  });

  it('reads the strongest effect; a session-only policy has none but reports its sign-in frequency', () => {
    const controls = (builtInControls: string[], extra: object = {}) =>
      judge(policy({ grantControls: { operator: 'OR', builtInControls, ...extra } }), subject).effect;
    expect(controls(['mfa', 'block'])).toBe('block');
    expect(controls(['compliantDevice', 'domainJoinedDevice'])).toBe('device');
    expect(controls(['approvedApplication'])).toBe('other-control');
    expect(controls([], { authenticationStrength: { id: 'x' } })).toBe('mfa');
    const session = judge(
      policy({
        grantControls: null,
        sessionControls: {
          signInFrequency: { isEnabled: true, type: 'hours', value: 8, frequencyInterval: 'timeBased' },
        },
      }),
      subject,
    );
    expect(session).toMatchObject({ covers: 'yes', effect: undefined, signInFrequency: 'every 8 hours' });
  });
});

// Graph answers another imitation of Microsoft 365 (or real Graph) may give: each variation and its verdict.
describe('judge: variations of Graph answers', () => {
  const users = (u: NonNullable<NonNullable<GraphCaPolicy['conditions']>['users']>) => withConditions({ users: u });

  it('a session-only policy (grantControls null) or one with no controls has no effect', () => {
    expect(judge(policy({ grantControls: null, sessionControls: null }), subject)).toMatchObject({
      covers: 'yes',
      effect: undefined,
    });
    expect(
      judge(policy({ grantControls: { operator: 'OR', builtInControls: null as never } }), subject).effect,
    ).toBeUndefined();
  });

  it('an authentication strength instead of builtInControls mfa is MFA', () => {
    const strength = { id: '00000000-0000-0000-0000-000000000002', displayName: 'Multifactor authentication' };
    expect(
      judge(
        policy({ grantControls: { operator: 'OR', builtInControls: [], authenticationStrength: strength } }),
        subject,
      ).effect,
    ).toBe('mfa');
  });

  it('includeGroups: covered when the user is in the group, not when it is not, "maybe" when groups are unknown', () => {
    const p = users({ includeUsers: [], includeGroups: [GROUP] });
    expect(judge(p, { ...subject, groupIds: new Set([GROUP]) }).covers).toBe('yes');
    expect(judge(p, subject).covers).toBe('no');
    expect(judge(p, { userId: USER, clientId: CLIENT }).covers).toBe('maybe');
  });

  it('includeRoles / excludeRoles: roles are not read, so "maybe", never "yes" or "no"', () => {
    const admin = '62e90394-69f5-4237-9190-012177145e10';
    expect(judge(users({ includeUsers: [], includeRoles: [admin] }), subject)).toMatchObject({
      covers: 'maybe',
      reason: expect.stringContaining('included directory role'),
    });
    expect(judge(users({ includeUsers: ['All'], excludeRoles: [admin] }), subject)).toMatchObject({
      covers: 'maybe',
      reason: expect.stringContaining('excluded directory roles'),
    });
  });

  it('guests and external users: never a Member; "maybe" for a guest or an unknown user type', () => {
    const guests = { guestOrExternalUserTypes: 'internalGuest,b2bCollaborationGuest', externalTenants: null };
    const exclude = users({ includeUsers: ['All'], excludeGuestsOrExternalUsers: guests });
    expect(judge(exclude, { ...subject, userType: 'Member' }).covers).toBe('yes');
    expect(judge(exclude, { ...subject, userType: 'Guest' })).toMatchObject({
      covers: 'maybe',
      reason: expect.stringContaining('a guest'),
    });
    expect(judge(exclude, subject).covers).toBe('maybe');
    const include = users({ includeUsers: [], includeGuestsOrExternalUsers: guests });
    expect(judge(include, { ...subject, userType: 'Member' }).covers).toBe('no');
    expect(judge(include, { ...subject, userType: 'Guest' }).covers).toBe('maybe');
    const legacy = users({ includeUsers: ['GuestsOrExternalUsers'] });
    expect(judge(legacy, { ...subject, userType: 'Member' }).covers).toBe('no');
    expect(judge(legacy, subject).covers).toBe('maybe');
  });

  it("includeApplications ['All'] and ['Office365'] (the app group holding Exchange Online) cover the sign-in", () => {
    const apps = (includeApplications: string[]) =>
      judge(withConditions({ applications: { includeApplications, excludeApplications: [] } }), subject).covers;
    expect(apps(['All'])).toBe('yes');
    expect(apps(['Office365'])).toBe('yes');
  });

  it("clientAppTypes: 'all', none and mobile/desktop cover; legacy types do not; browser only for a confidential client", () => {
    const types = (clientAppTypes: string[] | null, s = subject as Parameters<typeof judge>[1]) =>
      judge(withConditions({ clientAppTypes }), s).covers;
    expect(types(['all'])).toBe('yes');
    expect(types([])).toBe('yes');
    expect(types(null)).toBe('yes');
    expect(types(['exchangeActiveSync', 'other'])).toBe('no');
    expect(types(['browser'], { ...subject, confidential: true })).toBe('maybe');
    expect(types(['browser'])).toBe('maybe');
    expect(types(['browser'], { ...subject, confidential: false })).toBe('no');
    expect(types(['browser', 'mobileAppsAndDesktopClients'])).toBe('yes');
  });

  it('locations and platforms it cannot judge say "maybe" with the reason; empty lists count as not set', () => {
    expect(
      judge(withConditions({ locations: { includeLocations: ['AllTrusted'], excludeLocations: [] } }), subject),
    ).toMatchObject({ covers: 'maybe', reason: expect.stringContaining('location') });
    expect(
      judge(withConditions({ platforms: { includePlatforms: ['all'], excludePlatforms: ['linux'] } }), subject),
    ).toMatchObject({ covers: 'maybe', reason: expect.stringContaining('platform') });
    expect(
      judge(
        withConditions({
          locations: { includeLocations: [], excludeLocations: [] },
          platforms: { includePlatforms: [], excludePlatforms: [] },
        }),
        subject,
      ).covers,
    ).toBe('yes');
  });

  it('empty device and workload-identity conditions are not set; a device filter rule or service principals are', () => {
    const empty = withConditions({
      devices: { includeDevices: [], excludeDevices: [], deviceFilter: null },
      clientApplications: { includeServicePrincipals: [], servicePrincipalFilter: null },
    });
    expect(judge(empty, subject).covers).toBe('yes');
    expect(
      judge(withConditions({ devices: { deviceFilter: { rule: 'device.trustType -eq "AzureAD"' } } }), subject).covers,
    ).toBe('maybe');
    expect(
      judge(
        withConditions({ clientApplications: { includeServicePrincipals: ['ServicePrincipalsInMyTenant'] } }),
        subject,
      ).covers,
    ).toBe('no');
  });

  it('an insider risk condition says "maybe"', () => {
    expect(judge(withConditions({ insiderRiskLevels: 'elevated' }), subject)).toMatchObject({
      covers: 'maybe',
      reason: expect.stringContaining('insider risk'),
    });
  });
});

describe('Microsoft-managed policies', () => {
  it('are told by their fixed name prefix', () => {
    expect(
      isMicrosoftManaged(policy({ displayName: 'Microsoft-managed: Multifactor authentication for all users' })),
    ).toBe(true);
    expect(isMicrosoftManaged(policy({ displayName: 'Multifactor authentication for all users' }))).toBe(false);
  });

  it('may be turned on no sooner than 45 days after creation', () => {
    expect(earliestManagedEnable(policy({ createdDateTime: '2026-11-20T10:00:00Z' }))).toBe('2027-01-04');
    expect(earliestManagedEnable(policy({ createdDateTime: null }))).toBeUndefined();
  });
});
