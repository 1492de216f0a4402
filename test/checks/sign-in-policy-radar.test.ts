// The policy radar on the emulator: enabled, report-only (Microsoft-managed), excluded and other-app Conditional
// Access policies each give their outcome, and Entra's token endpoint agrees with the enabled ones.
import { describe, expect, it } from 'vitest';
import type { ConditionalAccessPolicy, DemoCredentials, TenantModel } from '../../src/emulator/model.js';
import { buildScenario } from '../../src/emulator/scenarios.js';
import { healthyTenant } from '../../src/emulator/tenant.js';
import type { CheckResult } from '../../src/core/result.js';
import { runScenario, runTenant as runOn } from './run-scenario.js';

const DAY_MS = 86_400_000;
const ymd = (ms: number) => new Date(ms).toISOString().slice(0, 10);

async function runTenant(t: { tenant: TenantModel; credentials: DemoCredentials }): Promise<Map<string, CheckResult>> {
  return (await runOn(t)).results;
}

function withPolicy(
  p: Omit<ConditionalAccessPolicy, 'id' | 'displayName' | 'state'> & Partial<ConditionalAccessPolicy>,
) {
  const t = healthyTenant();
  t.tenant.conditionalAccessPolicies.push({
    id: 'ca0000aa-0000-0000-0000-0000000000aa',
    displayName: 'Test policy',
    state: 'enabled',
    ...p,
  });
  return t;
}

const everyone = {
  users: { includeUsers: ['All'], excludeUsers: [] },
  applications: { includeApplications: ['All'], excludeApplications: [] },
  clientAppTypes: ['all'],
};

describe('sign-in-policy (policy radar)', () => {
  it('an enabled MFA policy fails the check and Entra answers the password grant with AADSTS50076', async () => {
    const { results } = await runScenario('mfa-required');
    expect(results.get('sign-in-policy')).toMatchObject({ status: 'fail', code: 'CA_REQUIRES_MFA' });
    expect(results.get('sign-in-policy')!.message).toContain('"Require MFA for all users"');
    expect(results.get('ropc-token')).toMatchObject({ status: 'fail', code: 'AADSTS50076' });
  }, 30_000);

  it('a Microsoft-managed report-only MFA policy warns with its name, id, creation date and earliest enable date', async () => {
    const { tenant } = buildScenario('managed-mfa-report-only');
    const mfa = tenant.conditionalAccessPolicies.find(
      (p) => p.displayName === 'Microsoft-managed: Multifactor authentication for all users',
    )!;
    const created = Date.parse(mfa.createdDateTime!);
    const { results } = await runScenario('managed-mfa-report-only');
    const r = results.get('sign-in-policy')!;
    expect(r).toMatchObject({ status: 'warn', code: 'CA_REPORT_ONLY' });
    expect(r.message).toContain('"Microsoft-managed: Multifactor authentication for all users"');
    expect(r.message).toContain(`id ${mfa.id}`);
    expect(r.message).toContain(`created ${ymd(created)}`);
    expect(r.message).toContain(`Microsoft may turn it on by itself from ${ymd(created + 45 * DAY_MS)}`);
    expect(r.message).toContain('demand multi-factor authentication for');
    // Block legacy authentication (legacy clients only) and Block device code flow do not touch the password grant.
    expect(r.message).not.toContain('more report-only');
    expect(r.evidence.reportOnlyPolicies).toEqual([
      `Microsoft-managed: Multifactor authentication for all users (${mfa.id}), created ${ymd(created)}: mfa; Microsoft-managed, may be turned on by Microsoft from ${ymd(created + 45 * DAY_MS)}`,
    ]);
    expect(r.remediation).toMatch(/Exclude: add connector@.*documented justification.*app-only access/s);
    expect(String(r.evidence.advisory)).toContain('https://learn.microsoft.com/entra/identity-platform/v2-oauth-ropc');
    // Report-only is not enforced: the password grant still works today.
    expect(results.get('ropc-token')?.status).toBe('pass');
  }, 30_000);

  it('a Microsoft-managed MFA policy Microsoft turned on fails with its name, id, creation date and enforceable date', async () => {
    const { tenant } = buildScenario('managed-mfa-enabled');
    const mfa = tenant.conditionalAccessPolicies.find((p) => p.state === 'enabled')!;
    const created = Date.parse(mfa.createdDateTime!);
    const { results } = await runScenario('managed-mfa-enabled');
    const r = results.get('sign-in-policy')!;
    expect(r).toMatchObject({ status: 'fail', code: 'CA_MANAGED_ENABLED' });
    expect(r.message).toContain('Microsoft-managed Conditional Access policy');
    expect(r.message).toContain('"Microsoft-managed: Multifactor authentication for all users"');
    expect(r.message).toContain(`id ${mfa.id}`);
    expect(r.message).toContain(`created ${ymd(created)}`);
    expect(r.message).toContain('now demands multi-factor authentication for');
    expect(r.message).toContain(`It became enforceable on ${ymd(created + 45 * DAY_MS)}`);
    expect(r.message).toContain('Microsoft switches a managed policy left in report-only mode on by itself');
    expect(r.evidence.managedPolicyEffect).toBe('mfa');
    expect(r.remediation).toMatch(/Excluded identities: add connector@.*documented justification/s);
    expect(r.remediation).toContain('m365-doctor migrate --to app-only');
    // The two managed policies still in report-only mode do not touch the password grant.
    expect(r.evidence.reportOnlyPolicies).toEqual([]);
    expect(results.get('ropc-token')).toMatchObject({
      status: 'fail',
      code: 'AADSTS50076',
      causedBy: 'sign-in-policy',
    });
  }, 30_000);

  it('an enabled MFA policy excluding a group the user is in passes, and Entra issues the token', async () => {
    const { results } = await runScenario('mfa-policy-excludes-user');
    expect(results.get('sign-in-policy')).toMatchObject({ status: 'pass', code: 'POLICY_OK' });
    expect(results.get('sign-in-policy')!.evidence).toMatchObject({ groupMembershipRead: true, applyingPolicies: [] });
    expect(results.get('ropc-token')?.status).toBe('pass');
  }, 30_000);

  it('an enabled MFA policy for other apps only passes', async () => {
    const { results } = await runScenario('mfa-policy-other-apps');
    expect(results.get('sign-in-policy')).toMatchObject({ status: 'pass', code: 'POLICY_OK' });
    expect(results.get('ropc-token')?.status).toBe('pass');
  }, 30_000);

  it('an enabled MFA policy excluding the user by id passes', async () => {
    const t = healthyTenant();
    const r = await runTenant(
      withPolicy({
        conditions: { ...everyone, users: { includeUsers: ['All'], excludeUsers: [t.tenant.users[0].id] } },
        grantControls: { operator: 'OR', builtInControls: ['mfa'] },
      }),
    );
    // withPolicy builds its own tenant: the user id is the same in every healthy tenant.
    expect(r.get('sign-in-policy')).toMatchObject({ status: 'pass', code: 'POLICY_OK' });
    expect(r.get('ropc-token')?.status).toBe('pass');
  }, 30_000);

  it('an enabled compliant-device policy fails with CA_REQUIRES_CONTROL, and Entra answers AADSTS53000', async () => {
    const r = await runTenant(
      withPolicy({ conditions: everyone, grantControls: { operator: 'OR', builtInControls: ['compliantDevice'] } }),
    );
    expect(r.get('sign-in-policy')).toMatchObject({ status: 'fail', code: 'CA_REQUIRES_CONTROL' });
    expect(r.get('sign-in-policy')!.message).toContain('compliant or hybrid-joined device');
    expect(r.get('ropc-token')).toMatchObject({ status: 'fail', code: 'AADSTS53000' });
  }, 30_000);

  it('an enabled hybrid-joined-device policy fails with CA_REQUIRES_CONTROL, and Entra answers AADSTS53001', async () => {
    const r = await runTenant(
      withPolicy({ conditions: everyone, grantControls: { operator: 'OR', builtInControls: ['domainJoinedDevice'] } }),
    );
    expect(r.get('sign-in-policy')).toMatchObject({ status: 'fail', code: 'CA_REQUIRES_CONTROL' });
    expect(r.get('ropc-token')).toMatchObject({ status: 'fail', code: 'AADSTS53001' });
  }, 30_000);

  it("an enabled location-scoped MFA policy warns CA_MAY_APPLY (the connector's network cannot be seen)", async () => {
    const r = await runTenant(
      withPolicy({
        conditions: { ...everyone, locations: { includeLocations: ['All'], excludeLocations: ['AllTrusted'] } },
        grantControls: { operator: 'OR', builtInControls: ['mfa'] },
      }),
    );
    expect(r.get('sign-in-policy')).toMatchObject({ status: 'warn', code: 'CA_MAY_APPLY' });
    expect(r.get('sign-in-policy')!.message).toContain('location');
  }, 30_000);

  it("a report-only policy of the tenant's own says an administrator can turn it on at any time", async () => {
    const r = await runTenant(
      withPolicy({
        state: 'enabledForReportingButNotEnforced',
        displayName: 'Block everyone (pilot)',
        createdDateTime: '2026-11-01T08:00:00Z',
        conditions: everyone,
        grantControls: { operator: 'OR', builtInControls: ['block'] },
      }),
    );
    const res = r.get('sign-in-policy')!;
    expect(res).toMatchObject({ status: 'warn', code: 'CA_REPORT_ONLY' });
    expect(res.message).toContain('created 2026-11-01');
    expect(res.message).toContain('once turned on it will block');
    expect(res.message).toContain('An administrator can turn it on at any time.');
  }, 30_000);

  it('without a directory reader it skips with needs-directory-reader', async () => {
    const { results } = await runScenario('managed-mfa-report-only', {
      adminClientId: undefined,
      adminClientSecret: undefined,
    });
    expect(results.get('sign-in-policy')).toMatchObject({
      status: 'skip',
      code: 'NEEDS_DIRECTORY_READER',
      skipReason: 'needs-directory-reader',
    });
  }, 30_000);
});
