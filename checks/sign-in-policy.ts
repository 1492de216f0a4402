// sign-in-policy: security defaults or Conditional Access that demand MFA (or block) for this user and app.
import { defineCheck } from '../src/check.js';
import { NEEDS_DIRECTORY_READER, withDirectoryReader } from '../src/diagnose/directory-reader.js';
import { userPath, type GraphUser } from '../src/diagnose/graph-paths.js';
import { EXCHANGE_APP_ID } from '../src/permissions.js';
import { isAppOnly, NOT_IN_PROFILE, notInProfile } from '../src/diagnose/profile.js';

interface CaPolicy {
  id: string; displayName: string; state: string;
  conditions: { users?: { includeUsers?: string[]; excludeUsers?: string[] }; applications?: { includeApplications?: string[]; excludeApplications?: string[] } };
  grantControls: { builtInControls?: string[] } | null;
}

export default defineCheck({
  meta: {
    id: 'sign-in-policy',
    title: 'No MFA demanded of the password grant',
    category: 'graph',
    dependsOn: ['tenant-discovery'],
    after: ['user-account'],
    description: 'Reads security defaults and Conditional Access policies (directory reader, Policy.Read.All). The password grant ' +
      'cannot do multi-factor authentication, so any enabled policy that requires MFA of this user for this app or Exchange ' +
      'Online makes the connector fail with AADSTS50076; a blocking policy fails it with AADSTS53003.',
    codes: {
      POLICY_OK: { message: 'Security defaults are off and no Conditional Access policy demands MFA of {username} ({policies} policies read).' },
      CA_BLOCKS: {
        message: 'Conditional Access policy "{policy}" blocks {username}.',
        remediation: 'Entra admin center > Protection > Conditional Access > "{policy}" > Users > Exclude: add {username} (or a group of service accounts), after your security team agrees.',
      },
      CA_REQUIRES_MFA: {
        message: 'Conditional Access policy "{policy}" requires MFA of {username}; the password grant cannot satisfy it.',
        remediation: 'Exclude the service account from "{policy}" (Entra admin center > Protection > Conditional Access > "{policy}" > Users > Exclude), ideally together with a policy that allows it only from the connector\'s network; or move the connector to app-only access.',
      },
      CA_REPORT_ONLY: {
        message: 'Conditional Access policy "{policy}" would require MFA of {username} but is in report-only mode.',
        remediation: 'Before "{policy}" is switched on, exclude the service account or move the connector to app-only access.',
      },
      SECURITY_DEFAULTS_ON: {
        message: 'Security defaults are on: Entra ID may demand MFA of {username}, which the password grant cannot do.',
        remediation: 'Replace security defaults with Conditional Access policies that exclude the service account (Entra admin center > Overview > Properties > Manage security defaults), or move the connector to app-only access.',
      },
      NEEDS_DIRECTORY_READER,
      NOT_IN_PROFILE,
    },
  },
  // Conditional Access user conditions and MFA do not apply to client credentials: nothing to judge in app-only.
  run: (ctx) => (isAppOnly(ctx) ? Promise.resolve(notInProfile(ctx, 'client-credentials sign-ins have no user to demand MFA of')) : withDirectoryReader(ctx, async () => {
    const { graph } = ctx.clients;
    const username = ctx.config.username;
    const userId = String(ctx.upstream('user-account')?.evidence.id ?? '') ||
      (await graph.get<GraphUser>(userPath(username), 'admin').then((u) => u.id, () => ''));
    const defaults = await graph.get<{ isEnabled: boolean }>('/policies/identitySecurityDefaultsEnforcementPolicy', 'admin');
    const policies = await graph.list<CaPolicy>('/identity/conditionalAccess/policies', 'admin');
    const appIds = [ctx.config.clientId, EXCHANGE_APP_ID, 'All', 'Office365'];
    const applies = (p: CaPolicy) => {
      const u = p.conditions.users ?? {}; const a = p.conditions.applications ?? {};
      const userIn = (u.includeUsers ?? []).some((x) => x === 'All' || x === userId) && !(u.excludeUsers ?? []).includes(userId);
      const appIn = (a.includeApplications ?? []).some((x) => appIds.includes(x)) &&
        !(a.excludeApplications ?? []).some((x) => x === ctx.config.clientId || x === EXCHANGE_APP_ID);
      return userIn && appIn;
    };
    const controls = (p: CaPolicy) => p.grantControls?.builtInControls ?? [];
    const relevant = policies.filter(applies);
    const evidence = {
      securityDefaults: defaults.isEnabled, conditionalAccessPolicies: policies.length,
      applyingPolicies: relevant.map((p) => `${p.displayName} [${p.state}: ${controls(p).join('+') || 'session only'}]`),
    };
    const data = { username, policies: policies.length };
    const enforced = relevant.filter((p) => p.state === 'enabled');
    const block = enforced.find((p) => controls(p).includes('block'));
    if (block) return { status: 'fail', code: 'CA_BLOCKS', data: { ...data, policy: block.displayName }, evidence };
    const mfa = enforced.find((p) => controls(p).some((c) => c === 'mfa' || c === 'compliantDevice'));
    if (mfa) return { status: 'fail', code: 'CA_REQUIRES_MFA', data: { ...data, policy: mfa.displayName }, evidence };
    if (defaults.isEnabled) return { status: 'warn', code: 'SECURITY_DEFAULTS_ON', data, evidence };
    const reportOnly = relevant.find((p) => p.state === 'enabledForReportingButNotEnforced' && controls(p).some((c) => c === 'mfa' || c === 'block'));
    if (reportOnly) return { status: 'warn', code: 'CA_REPORT_ONLY', data: { ...data, policy: reportOnly.displayName }, evidence };
    return { status: 'pass', code: 'POLICY_OK', data, evidence };
  })),
});
