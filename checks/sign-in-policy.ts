// sign-in-policy: security defaults and Conditional Access (enabled, report-only, Microsoft-managed) that block or
// challenge the connector's password sign-in, today or once turned on (the policy radar).
import { advisory, advisoryText } from '../src/m365/advisories.js';
import { defineCheck } from '../src/core/check.js';
import type { GraphReader } from '../src/clients/types.js';
import {
  EFFECT_WORDS,
  earliestManagedEnable,
  isMicrosoftManaged,
  judge,
  MANAGED_ENABLE_AFTER_DAYS,
  type Effect,
  type GraphCaPolicy,
  type Judgement,
} from '../src/diagnose/ca-policy.js';
import { NEEDS_DIRECTORY_READER, withDirectoryReader } from '../src/diagnose/directory-reader.js';
import { userPath, type GraphUser } from '../src/m365/graph-paths.js';
import { GraphError } from '../src/core/errors.js';
import { isAppOnly, NOT_IN_PROFILE, notInProfile } from '../src/diagnose/profile.js';

const EXCLUDE_STEP =
  'Entra admin center > Entra ID > Conditional Access > "{policy}" > Users > Exclude: add {username} (or a group of service accounts)';
const APP_ONLY =
  'move the connector to app-only access (client credentials with IMAP.AccessAsApp / POP.AccessAsApp / SMTP.SendAsApp), which user sign-in policies do not cover';
// Administrators may edit which identities a Microsoft-managed policy excludes, and Microsoft keeps those exclusions
// when it updates the policy: https://learn.microsoft.com/entra/identity/conditional-access/managed-policies
const MANAGED_EXCLUDE_STEP =
  'Entra admin center > Entra ID > Conditional Access > "{policy}" > Excluded identities: add {username} (Microsoft lets administrators edit the exclusions of its managed policies and keeps them when it updates the policy)';

export default defineCheck({
  meta: {
    id: 'sign-in-policy',
    title: 'No MFA demanded of the password grant',
    category: 'graph',
    dependsOn: ['tenant-discovery'],
    after: ['user-account'],
    description:
      'Reads security defaults and every Conditional Access policy, report-only and Microsoft-managed ones included ' +
      '(directory reader, Policy.Read.All), and judges each against the password sign-in of this user to Exchange Online. ' +
      'The password grant cannot do multi-factor authentication or present a device, so an enabled policy demanding either ' +
      'fails the connector (AADSTS50076, AADSTS53000), a blocking one fails it with AADSTS53003, and a report-only one will ' +
      'once it is turned on: Microsoft turns its managed policies on by itself no sooner than 45 days after they appear.',
    codes: {
      POLICY_OK: {
        message:
          'Security defaults are off and no Conditional Access policy blocks or challenges the password sign-in of {username} ({policies} policies read).',
      },
      CA_BLOCKS: {
        message: 'Conditional Access policy "{policy}" blocks {username}.',
        remediation: `With your security team's agreement: ${EXCLUDE_STEP}, with a documented justification; or ${APP_ONLY}.`,
      },
      CA_REQUIRES_MFA: {
        message:
          'Conditional Access policy "{policy}" requires MFA of {username}; the password grant cannot satisfy it.',
        remediation: `Exclude the service account from "{policy}" (${EXCLUDE_STEP}) with a documented justification, ideally together with a policy that allows it only from the connector's network; or ${APP_ONLY}.`,
      },
      CA_REQUIRES_CONTROL: {
        message:
          'Conditional Access policy "{policy}" would {effect} {username}\'s password sign-in; the password grant cannot satisfy it.',
        remediation: `Exclude the service account from "{policy}" (${EXCLUDE_STEP}) with a documented justification; or ${APP_ONLY}.`,
      },
      CA_MANAGED_ENABLED: {
        message:
          'Microsoft-managed Conditional Access policy "{policy}" (id {policyId}, created {created}) is on: it now {effect} {username}\'s password sign-in, which the password grant cannot satisfy. {switchedOn}',
        remediation: `Exclude the service account from the managed policy (${MANAGED_EXCLUDE_STEP}) with a documented justification (why the account cannot do MFA, who owns it, which network it signs in from); or ${APP_ONLY}: \`m365-doctor migrate --to app-only\` prints the steps.`,
      },
      CA_REPORT_ONLY: {
        message:
          'Conditional Access policy "{policy}" (id {policyId}, created {created}) is in report-only mode; once turned on it will {effect} {username}\'s password sign-in. {schedule}{more}',
        remediation: `Before "{policy}" is turned on: exclude the service account from it (${EXCLUDE_STEP}) with a documented justification (why the account cannot do MFA, who owns it, which network it signs in from); or ${APP_ONLY}.`,
      },
      CA_MAY_APPLY: {
        message:
          'Conditional Access policy "{policy}" would {effect} {username}\'s password sign-in if {condition}; the doctor cannot see that condition.',
        remediation: `Check the sign-in log of {username} (Entra admin center > Entra ID > Monitoring & health > Sign-in logs > Conditional Access) for "{policy}"; if it applies, exclude the account (${EXCLUDE_STEP}) with a documented justification, or ${APP_ONLY}.`,
      },
      SECURITY_DEFAULTS_UNKNOWN: {
        message:
          'No Conditional Access policy blocks or challenges the password sign-in of {username} ({policies} policies read), but Graph did not say whether security defaults are on (its security defaults policy has no isEnabled); if they are, Entra ID may demand MFA.',
        remediation:
          'Look in the Entra admin center > Overview > Properties > Manage security defaults; if they are on, replace them with Conditional Access policies that exclude the service account, or move the connector to app-only access.',
      },
      SECURITY_DEFAULTS_ON: {
        message: 'Security defaults are on: Entra ID may demand MFA of {username}, which the password grant cannot do.',
        remediation:
          'Replace security defaults with Conditional Access policies that exclude the service account (Entra admin center > Overview > Properties > Manage security defaults), or move the connector to app-only access.',
      },
      NEEDS_DIRECTORY_READER,
      NOT_IN_PROFILE,
    },
  },
  // Conditional Access user conditions and MFA do not apply to client credentials: nothing to judge in app-only.
  run: (ctx) =>
    isAppOnly(ctx)
      ? Promise.resolve(notInProfile(ctx, 'client-credentials sign-ins have no user to demand MFA of'))
      : withDirectoryReader(ctx, async () => {
          const { graph } = ctx.clients;
          const username = ctx.config.username;
          const userId =
            String(ctx.upstream('user-account')?.evidence.id ?? '') ||
            (await graph.get<GraphUser>(userPath(username), 'admin').then(
              (u) => u.id,
              () => '',
            ));
          const defaults = await graph.get<{ isEnabled?: boolean | null }>(
            '/policies/identitySecurityDefaultsEnforcementPolicy',
            'admin',
          );
          const read = await graph.list<GraphCaPolicy>('/identity/conditionalAccess/policies', 'admin');
          const policies = read.filter((p) => p.state !== 'disabled');
          const groupIds = await userGroups(ctx.clients.graph, userId, policies);
          const userType = ctx.upstream('user-account')?.evidence.userType as string | null | undefined;
          const subject = {
            userId,
            clientId: ctx.config.clientId,
            groupIds,
            userType,
            confidential: ctx.config.clientSecret !== undefined,
          };
          const judged = policies.map((p) => judge(p, subject));
          // An answer without isEnabled says nothing about security defaults: never read it as "off".
          const defaultsOn = typeof defaults.isEnabled === 'boolean' ? defaults.isEnabled : undefined;
          const effective = judged.filter((j) => j.covers !== 'no' && j.effect);
          const enabled = (covers: Judgement['covers']) =>
            effective.filter((j) => j.policy.state === 'enabled' && j.covers === covers);
          const reportOnly = effective
            .filter((j) => j.policy.state === 'enabledForReportingButNotEnforced')
            .sort((a, b) => (a.covers === b.covers ? 0 : a.covers === 'yes' ? -1 : 1));

          const evidence = {
            securityDefaults: defaultsOn ?? null,
            conditionalAccessPolicies: read.length,
            groupMembershipRead: groupIds !== undefined,
            applyingPolicies: effective.map(describe),
            reportOnlyPolicies: reportOnly.map(radarLine),
            signInFrequency: judged
              .filter((j) => j.covers !== 'no' && j.signInFrequency)
              .map(
                (j) =>
                  `"${j.policy.displayName}" asks for a new sign-in ${j.signInFrequency}: the password grant signs in anew each time, but refresh tokens end with it`,
              ),
            advisory: effective.length ? advisoryText(advisory('ropc-deprecated')) : undefined,
          };
          const data = { username, policies: read.length };
          const named = (j: Judgement) => ({ ...data, policy: j.policy.displayName, effect: EFFECT_WORDS[j.effect!] });

          const sure = enabled('yes');
          const block = sure.find((j) => j.effect === 'block');
          const mfa = sure.find((j) => j.effect === 'mfa');
          const enforced = block ?? mfa ?? sure[0];
          if (enforced && isMicrosoftManaged(enforced.policy)) {
            return {
              status: 'fail',
              code: 'CA_MANAGED_ENABLED',
              data: {
                ...named(enforced),
                effect: EFFECT_NOW[enforced.effect!],
                policyId: enforced.policy.id,
                created: dateOf(enforced.policy) ?? 'unknown',
                switchedOn: switchedOn(enforced.policy),
              },
              evidence: { ...evidence, managedPolicyEffect: enforced.effect },
            };
          }
          if (block) return { status: 'fail', code: 'CA_BLOCKS', data: named(block), evidence };
          if (mfa) return { status: 'fail', code: 'CA_REQUIRES_MFA', data: named(mfa), evidence };
          if (enforced) return { status: 'fail', code: 'CA_REQUIRES_CONTROL', data: named(enforced), evidence };
          if (defaultsOn) return { status: 'warn', code: 'SECURITY_DEFAULTS_ON', data, evidence };
          const [first] = reportOnly;
          if (first) {
            const more =
              reportOnly.length > 1
                ? ` ${reportOnly.length - 1} more report-only ${reportOnly.length > 2 ? 'policies' : 'policy'} would also apply (see evidence).`
                : '';
            return {
              status: 'warn',
              code: 'CA_REPORT_ONLY',
              evidence,
              data: {
                ...named(first),
                policyId: first.policy.id,
                created: dateOf(first.policy) ?? 'unknown',
                schedule: schedule(first),
                more,
              },
            };
          }
          const [conditional] = enabled('maybe');
          if (conditional)
            return {
              status: 'warn',
              code: 'CA_MAY_APPLY',
              data: { ...named(conditional), condition: conditional.reason ?? '' },
              evidence,
            };
          if (defaultsOn === undefined) return { status: 'warn', code: 'SECURITY_DEFAULTS_UNKNOWN', data, evidence };
          return { status: 'pass', code: 'POLICY_OK', data, evidence };
        }),
});

/** The user's groups, read only when a policy names groups; undefined when they cannot be read. */
async function userGroups(
  graph: GraphReader,
  userId: string,
  policies: GraphCaPolicy[],
): Promise<Set<string> | undefined> {
  const named = policies.some(
    (p) => (p.conditions?.users?.includeGroups ?? []).length || (p.conditions?.users?.excludeGroups ?? []).length,
  );
  if (!named) return new Set();
  if (!userId) return undefined;
  try {
    const groups = await graph.list<{ id: string }>(
      `/users/${encodeURIComponent(userId)}/transitiveMemberOf?$select=id`,
      'admin',
    );
    return new Set(groups.map((g) => g.id));
  } catch (err) {
    if (err instanceof GraphError && (err.info.status === 403 || err.info.status === 404)) return undefined;
    throw err;
  }
}

const dateOf = (p: GraphCaPolicy) =>
  p.createdDateTime && !Number.isNaN(Date.parse(p.createdDateTime)) ? p.createdDateTime.slice(0, 10) : undefined;

/** When the report-only policy may start to apply. */
function schedule(j: Judgement): string {
  const cond = j.covers === 'maybe' ? ` It applies only if ${j.reason}.` : '';
  if (!isMicrosoftManaged(j.policy)) return `An administrator can turn it on at any time.${cond}`;
  const from = earliestManagedEnable(j.policy);
  const rule = `no sooner than ${MANAGED_ENABLE_AFTER_DAYS} days after it appeared, with notice in Message center 28 days before`;
  if (!from) return `It is Microsoft-managed: Microsoft turns it on by itself (${rule}).${cond}`;
  const today = new Date().toISOString().slice(0, 10);
  return from <= today
    ? `It is Microsoft-managed: Microsoft may turn it on by itself at any time now (${rule}; that was ${from}).${cond}`
    : `It is Microsoft-managed: Microsoft may turn it on by itself from ${from} (${rule}).${cond}`;
}

/** Effects in the present tense, as in "it now {effect} the user's password sign-in". */
const EFFECT_NOW: Record<Effect, string> = {
  block: 'blocks',
  mfa: 'demands multi-factor authentication for',
  device: 'demands a compliant or hybrid-joined device for',
  'other-control': 'demands a control (approved app, terms of use, ...) for',
};

/** When an enabled managed policy could first be turned on by Microsoft (creation + 45 days). */
function switchedOn(p: GraphCaPolicy): string {
  const from = earliestManagedEnable(p);
  const rule = `Microsoft switches a managed policy left in report-only mode on by itself no sooner than ${MANAGED_ENABLE_AFTER_DAYS} days after it appeared`;
  return from
    ? `It became enforceable on ${from} (${rule}); an administrator may also have turned it on.`
    : `${rule}; an administrator may also have turned it on.`;
}

function describe(j: Judgement): string {
  const state = j.policy.state === 'enabled' ? 'enabled' : 'report-only';
  return `${j.policy.displayName} [${state}: ${j.effect}]${j.covers === 'maybe' ? ` if ${j.reason}` : ''}`;
}

function radarLine(j: Judgement): string {
  const managed = isMicrosoftManaged(j.policy);
  const from = managed ? earliestManagedEnable(j.policy) : undefined;
  return (
    `${j.policy.displayName} (${j.policy.id}), created ${dateOf(j.policy) ?? 'unknown'}: ${j.effect}` +
    (managed ? `; Microsoft-managed, may be turned on by Microsoft from ${from ?? 'an unknown date'}` : '') +
    (j.covers === 'maybe' ? `; only if ${j.reason}` : '')
  );
}
