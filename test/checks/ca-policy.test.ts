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
