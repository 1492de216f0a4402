// sign-in-policy: security defaults or Conditional Access that demand MFA of (or block) the password grant.
import { checkTester } from './check-tester.js';
import type { TenantModel } from '../../src/emulator/model.js';

function reportOnlyMfa(t: TenantModel): void {
  t.conditionalAccessPolicies.push({
    id: 'ca000003-0000-0000-0000-000000000003', displayName: 'Require MFA (pilot)', state: 'enabledForReportingButNotEnforced',
    conditions: {
      users: { includeUsers: ['All'], excludeUsers: [] },
      applications: { includeApplications: ['All'], excludeApplications: [] },
      clientAppTypes: ['all'],
    },
    grantControls: { operator: 'OR', builtInControls: ['mfa'] },
  });
}

checkTester('sign-in-policy', {
  valid: [
    { name: 'no policy applies', status: 'pass', code: 'POLICY_OK' },
  ],
  invalid: [
    { name: 'a blocking policy', scenario: 'conditional-access-blocked', status: 'fail', code: 'CA_BLOCKS' },
    { name: 'a policy requiring MFA', scenario: 'mfa-required', status: 'fail', code: 'CA_REQUIRES_MFA' },
    { name: 'security defaults on', scenario: 'security-defaults', status: 'warn', code: 'SECURITY_DEFAULTS_ON' },
    // Report-only policies are not enforced: the password grant still works while the check warns.
    { name: 'an MFA policy in report-only mode', tenant: reportOnlyMfa, status: 'warn', code: 'CA_REPORT_ONLY',
      verify: (_r, run) => { if (run.get('ropc-token')?.status !== 'pass') throw new Error('report-only policy enforced by Entra'); } },
    { name: 'no directory reader', inputs: { adminClientId: null, adminClientSecret: null }, status: 'skip', code: 'NEEDS_DIRECTORY_READER' },
  ],
});
