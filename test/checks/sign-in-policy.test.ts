// sign-in-policy: security defaults or Conditional Access that demand MFA of (or block) the password grant.
import { checkTester } from './check-tester.js';
import type { TenantModel } from '../../src/emulator/model.js';

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
  valid: [{ name: 'no policy applies', status: 'pass', code: 'POLICY_OK' }],
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
