// sign-in-policy: security defaults or Conditional Access that demand MFA of (or block) the password grant.
import { checkTester } from './check-tester.js';
import type { TenantModel } from '../../src/emulator/model.js';

const SHAREPOINT = '00000003-0000-0ff1-ce00-000000000000';

function reportOnlyMfa(t: TenantModel): void {
  t.conditionalAccessPolicies.push({
    id: 'ca000003-0000-0000-0000-000000000003',
    displayName: 'Require MFA (pilot)',
    state: 'enabledForReportingButNotEnforced',
    conditions: {
      users: { includeUsers: ['All'], excludeUsers: [] },
      applications: { includeApplications: ['All'], excludeApplications: [] },
      clientAppTypes: ['all'],
    },
    grantControls: { operator: 'OR', builtInControls: ['mfa'] },
  });
}

function enabledPolicy(extra: Partial<TenantModel['conditionalAccessPolicies'][number]>) {
  return (t: TenantModel): void => {
    t.conditionalAccessPolicies.push({
      id: 'ca000005-0000-0000-0000-000000000005',
      displayName: 'Test policy',
      state: 'enabled',
      conditions: {
        users: { includeUsers: ['All'], excludeUsers: [] },
        applications: { includeApplications: ['All'], excludeApplications: [] },
        clientAppTypes: ['all'],
      },
      grantControls: { operator: 'OR', builtInControls: ['mfa'] },
      ...extra,
    });
  };
}

checkTester('sign-in-policy', {
  valid: [
    { name: 'no policy applies', status: 'pass', code: 'POLICY_OK' },
    {
      name: 'a session-only policy (no grant controls) is no finding',
      tenant: enabledPolicy({
        grantControls: null,
        sessionControls: {
          signInFrequency: {
            isEnabled: true,
            type: 'hours',
            value: 8,
            frequencyInterval: 'timeBased',
            authenticationType: 'primaryAndSecondaryAuthentication',
          },
        },
      }),
      status: 'pass',
      code: 'POLICY_OK',
    },
  ],
  invalid: [
    { name: 'a blocking policy', scenario: 'conditional-access-blocked', status: 'fail', code: 'CA_BLOCKS' },
    { name: 'a policy requiring MFA', scenario: 'mfa-required', status: 'fail', code: 'CA_REQUIRES_MFA' },
    { name: 'security defaults on', scenario: 'security-defaults', status: 'warn', code: 'SECURITY_DEFAULTS_ON' },
    // Report-only policies are not enforced: the password grant still works while the check warns.
    {
      name: 'an MFA policy in report-only mode',
      tenant: reportOnlyMfa,
      status: 'warn',
      code: 'CA_REPORT_ONLY',
      verify: (_r, run) => {
        if (run.get('ropc-token')?.status !== 'pass') throw new Error('report-only policy enforced by Entra');
      },
    },
    {
      name: 'a policy requiring a compliant device',
      tenant: enabledPolicy({ grantControls: { operator: 'OR', builtInControls: ['compliantDevice'] } }),
      status: 'fail',
      code: 'CA_REQUIRES_CONTROL',
    },
    {
      name: 'an MFA policy scoped to locations the tool cannot judge',
      tenant: enabledPolicy({
        conditions: {
          users: { includeUsers: ['All'], excludeUsers: [] },
          applications: { includeApplications: ['All'], excludeApplications: [] },
          clientAppTypes: ['all'],
          locations: { includeLocations: ['All'], excludeLocations: ['AllTrusted'] },
        },
      }),
      status: 'warn',
      code: 'CA_MAY_APPLY',
    },
    {
      name: 'Microsoft-managed policies in report-only mode',
      scenario: 'managed-mfa-report-only',
      status: 'warn',
      code: 'CA_REPORT_ONLY',
    },
    // Microsoft has switched its managed MFA policy on: Entra answers AADSTS50076, explained by this finding.
    {
      name: 'a Microsoft-managed MFA policy Microsoft has turned on',
      scenario: 'managed-mfa-enabled',
      status: 'fail',
      code: 'CA_MANAGED_ENABLED',
      verify: (r, run) => {
        if (!r.message.includes('"Microsoft-managed: Multifactor authentication for all users"'))
          throw new Error(`policy not named: ${r.message}`);
        const token = run.get('ropc-token');
        if (token?.code !== 'AADSTS50076' || token.causedBy !== 'sign-in-policy')
          throw new Error(`ropc-token not explained by it: ${token?.code} ${token?.causedBy}`);
      },
    },
    // The user type comes from user-account: a Member is never one of the guests the policy excludes.
    {
      name: 'an MFA policy excluding guests and external users covers a Member',
      tenant: enabledPolicy({
        conditions: {
          users: { includeUsers: ['All'], excludeUsers: ['GuestsOrExternalUsers'] },
          applications: { includeApplications: ['Office365'], excludeApplications: [] },
          clientAppTypes: ['all'],
        },
      }),
      status: 'fail',
      code: 'CA_REQUIRES_MFA',
      verify: (_r, run) => {
        if (run.get('ropc-token')?.code !== 'AADSTS50076') throw new Error('Entra did not demand MFA');
      },
    },
    // Microsoft counts OAuth confidential clients (the connector has a secret) among "browser" clients.
    {
      name: 'an MFA policy for browser clients only may apply to the confidential connector',
      tenant: enabledPolicy({
        conditions: {
          users: { includeUsers: ['All'], excludeUsers: [] },
          applications: { includeApplications: ['All'], excludeApplications: [] },
          clientAppTypes: ['browser'],
        },
      }),
      status: 'warn',
      code: 'CA_MAY_APPLY',
      verify: (r) => {
        if (!r.message.includes('confidential client')) throw new Error(r.message);
      },
    },
    // Graph answers in pages of 100: the enabled MFA policy is on the second page.
    {
      name: 'an MFA policy on the second page of policies (@odata.nextLink)',
      tenant: (t) => {
        for (let i = 0; i < 120; i++)
          enabledPolicy({ id: `ca00aaaa-0000-0000-0000-${String(i).padStart(12, '0')}`, displayName: `Other ${i}` })(t);
        for (const p of t.conditionalAccessPolicies) p.conditions.applications.includeApplications = [SHAREPOINT];
        enabledPolicy({ displayName: 'Require MFA (last page)' })(t);
      },
      status: 'fail',
      code: 'CA_REQUIRES_MFA',
      verify: (r) => {
        if (!r.message.includes('Require MFA (last page)')) throw new Error(r.message);
        if (r.evidence.conditionalAccessPolicies !== 121)
          throw new Error(`read ${r.evidence.conditionalAccessPolicies}`);
      },
    },
    // Another imitation of Graph (or a future one) may leave isEnabled out: that is not "off".
    {
      name: 'a security defaults policy without isEnabled',
      tenant: (t) => {
        (t as { securityDefaultsEnabled?: boolean }).securityDefaultsEnabled = undefined;
      },
      status: 'warn',
      code: 'SECURITY_DEFAULTS_UNKNOWN',
      verify: (r) => {
        if (r.evidence.securityDefaults !== null) throw new Error(`securityDefaults ${r.evidence.securityDefaults}`);
      },
    },
    {
      name: 'no directory reader',
      inputs: { adminClientId: null, adminClientSecret: null },
      status: 'skip',
      code: 'NEEDS_DIRECTORY_READER',
    },
    {
      name: 'the app-only profile has no user to demand MFA of',
      inputs: { profile: 'app-only' },
      status: 'skip',
      code: 'NOT_IN_PROFILE',
    },
  ],
});
