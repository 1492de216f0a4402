// The plan of `m365-doctor migrate --to app-only`: the five steps that move a password-grant (ROPC) connector to
// client credentials, each marked from the run's evidence (migration-evidence.ts). Pure: a report in, a plan out.
import { CONNECTOR_PROFILES, type Activity } from '../config/types.js';
import { PERMISSIONS } from '../m365/permissions.js';
import type { RunReport } from '../core/result.js';
import { judge, sendRoleByRbac, type Judgement, type Mark, type ReadContext } from './migration-evidence.js';
import {
  isTimestamp,
  overriddenEndpoints,
  planValues,
  verifyCommand,
  type PlanOptions,
  type PlanValues,
} from './migration-values.js';

export const SOURCES = {
  oauth:
    'https://learn.microsoft.com/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth',
  rbac: 'https://learn.microsoft.com/exchange/permissions-exo/application-rbac',
  smtpRbac: 'https://learn.microsoft.com/exchange/client-developer/legacy-protocols/smtp-app-rbac-onboarding',
  sendAs: 'https://learn.microsoft.com/powershell/module/exchange/add-recipientpermission',
  clientCredentials: 'https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow',
} as const;

export interface PlanPart {
  label: string;
  mark: Mark;
  evidence: string;
}

export type StepId = 'permissions' | 'service-principal' | 'mailbox-access' | 'connector' | 'verify';

export interface PlanStep {
  id: StepId;
  title: string;
  mark: Mark;
  parts: PlanPart[];
}

export interface MigrationPlan {
  values: PlanValues;
  /** Connector profile of the run the plan was made from. */
  profile: string;
  startedAt?: string;
  /** Exchange application permissions the activities need. */
  neededRoles: string[];
  steps: PlanStep[];
  /** The command that checks the result, without any secret. */
  verifyCommand: string;
  /** Flags whose endpoint the run overrode (the verify command needs the same ones); names only, never values. */
  overriddenEndpoints: string[];
}

export function planMigration(report: RunReport, opts: PlanOptions = {}): MigrationPlan {
  const values = planValues(report);
  const profile = CONNECTOR_PROFILES.find((p) => p === report.target.profile) ?? 'vendor';
  const neededRoles = rolesFor(values.activities);
  const ctx: ReadContext = { profile, neededRoles };
  const reading = values.activities.some((a) => a === 'read-imap' || a === 'read-pop');
  const sending = values.activities.includes('send-smtp');
  const part = (label: string, j: Judgement): PlanPart => ({ label, ...j });

  const steps: PlanStep[] = [
    step('permissions', 'Add the Exchange application permissions and grant admin consent', [
      part(
        neededRoles.join(', ') || 'none needed',
        neededRoles.length
          ? withRegistration(
              sendRoleByRbac(judge('exchange-roles', report.checks, ctx), report.checks, ctx),
              report,
              neededRoles,
            )
          : { mark: 'satisfied', evidence: 'no activity needs an Exchange application permission' },
      ),
    ]),
    step('service-principal', "Register the app's service principal in Exchange Online (New-ServicePrincipal)", [
      part('service principal known to Exchange', judge('exchange-service-principal', report.checks, ctx)),
    ]),
    step('mailbox-access', "Give the app access to the connector's mailbox", [
      ...(reading ? [part('FullAccess for reading (IMAP/POP)', judge('mailbox-read', report.checks, ctx))] : []),
      ...(sending ? [part('Send As for sending (SMTP)', judge('mailbox-send', report.checks, ctx))] : []),
    ]),
    step('connector', 'Change the connector to client credentials', [
      part('connector settings', connectorState(report, profile)),
    ]),
    step('verify', 'Verify with the app-only profile', [
      part('m365-doctor check --profile app-only', verifyState(report, profile)),
    ]),
  ];
  return {
    values,
    profile,
    startedAt: isTimestamp(report.startedAt) ? report.startedAt : undefined,
    neededRoles,
    steps,
    verifyCommand: verifyCommand(values, opts),
    overriddenEndpoints: opts.demo ? [] : overriddenEndpoints(report, values.cloud),
  };
}

/** The Exchange application permissions per activity (as the app-only profile judges them). */
function rolesFor(activities: readonly Activity[]): string[] {
  const p = PERMISSIONS;
  return [
    ...(activities.includes('read-imap') ? [p.imapAsApp.value] : []),
    ...(activities.includes('read-pop') ? [p.popAsApp.value] : []),
    ...(activities.includes('send-smtp') ? [p.smtpSendAsApp.value] : []),
  ];
}

/**
 * Whether the app registration already requests a role the token lacks (then only admin consent is missing), from
 * app-registration's list of the permissions its profile needs ("IMAP.AccessAsApp (application, ...) MISSING").
 */
function withRegistration(j: Judgement, report: RunReport, roles: readonly string[]): Judgement {
  const evidence = (id: string, key: string) => report.checks.find((c) => c.id === id)?.evidence[key];
  const listed = evidence('app-registration', 'permissions');
  const held = evidence('app-roles-exchange', 'roles');
  if (j.mark !== 'todo' || !Array.isArray(listed) || !Array.isArray(held)) return j;
  const entry = (role: string) =>
    listed.map(String).find((p) => p.startsWith(`${role} (application, Office 365 Exchange Online)`));
  const lacking = roles.filter((r) => !held.map(String).includes(r));
  const requested = lacking.filter((r) => entry(r) && !entry(r)!.endsWith(' MISSING'));
  const unrequested = lacking.filter((r) => entry(r)?.endsWith(' MISSING'));
  const notes = [
    ...(unrequested.length
      ? [`app-registration: the app registration does not request ${unrequested.join(', ')}`]
      : []),
    ...(requested.length
      ? [
          `app-registration: it requests ${requested.join(', ')}, so only admin consent is missing for ${requested.length > 1 ? 'them' : 'it'}`,
        ]
      : []),
  ];
  return notes.length ? { mark: j.mark, evidence: `${j.evidence}; ${notes.join('; ')}` } : j;
}

/** The worst mark of the parts: one thing to do makes the step one to do. */
function step(id: StepId, title: string, parts: PlanPart[]): PlanStep {
  const mark: Mark = parts.some((p) => p.mark === 'todo')
    ? 'todo'
    : parts.some((p) => p.mark === 'unknown')
      ? 'unknown'
      : 'satisfied';
  return { id, title, mark, parts };
}

/** m365-doctor sees the tenant, not the connector: only a run of the password grant says the connector still uses it. */
function connectorState(report: RunReport, profile: string): Judgement {
  if (profile === 'app-only') {
    return {
      mark: 'unknown',
      evidence:
        "m365-doctor checks the tenant, not the connector's own settings; this run already used the app-only profile",
    };
  }
  const ropc = report.checks.find((c) => c.id === 'ropc-token');
  if (ropc && ropc.status !== 'skip') {
    return {
      mark: 'todo',
      evidence: `this run checked a password-grant sign-in (ropc-token ${ropc.status}, profile ${profile})`,
    };
  }
  return {
    mark: 'unknown',
    evidence: `ropc-token ${ropc ? 'was skipped' : 'is not in the report'}: the run does not show how the connector signs in`,
  };
}

function verifyState(report: RunReport, profile: string): Judgement {
  if (profile !== 'app-only') return { mark: 'todo', evidence: `this run used the ${profile} profile` };
  const bad = report.checks
    .filter((c) => c.status === 'fail' || c.status === 'error')
    .map((c) => c.id)
    .filter((id) => /^[a-z0-9-]{1,64}$/.test(id));
  return bad.length
    ? { mark: 'todo', evidence: `this run used the app-only profile and ${bad.join(', ')} did not pass` }
    : { mark: 'satisfied', evidence: 'this run used the app-only profile and no check failed or errored' };
}
