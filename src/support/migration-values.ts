// The values a migration plan is built from, read from a report and kept only when they have the shape they stand
// for (GUID, user principal name, domain): the plan, its text and its script never carry a report's free text.
import { FLAG_OF } from '../config/inputs.js';
import { endpointValues } from '../config/validate.js';
import { CLOUDS } from '../m365/clouds.js';
import { ACTIVITIES, type Activity, type Cloud } from '../config/types.js';
import type { CheckResult, RunReport } from '../core/result.js';
import { DOMAIN, GUID, UPN } from './trusted-remediation.js';

/** What the plan's text shows for a value the report lacks; never part of a command that may run. */
export const PLACEHOLDERS = {
  appId: '<application id>',
  spObjectId: '<object id of the enterprise application>',
  mailbox: '<mailbox address>',
} as const;

/** The values a plan and its script are built from; each one undefined when the report has none of the right shape. */
export interface PlanValues {
  cloud: Cloud;
  /** The tenant as given (GUID or verified domain). */
  tenant?: string;
  /** The tenant's GUID from OIDC discovery. */
  tenantId?: string;
  appId?: string;
  /** Object id of the enterprise application (service principal): the one New-ServicePrincipal -ObjectId needs. */
  spObjectId?: string;
  /** Object id of the app registration: NOT the one to use. */
  appObjectId?: string;
  mailbox?: string;
  activities: Activity[];
}

export interface PlanOptions {
  /** The emulated tenant the run used (fresh `--demo` / `--scenario` runs): the verify command runs it again. */
  demo?: { scenario?: string; scenarioFile?: boolean };
}

const is =
  (pattern: string) =>
  (v: unknown): v is string =>
    typeof v === 'string' && new RegExp(`^(?:${pattern})$`).test(v);
const isGuid = is(GUID);
const isUpn = is(UPN);
const isTenant = is(`${GUID}|${DOMAIN}`);

export function planValues(report: RunReport): PlanValues {
  const t = report.target;
  const evidence = (id: string, key: string): unknown =>
    report.checks.find((c: CheckResult) => c.id === id)?.evidence[key];
  // The enterprise application's object id: read from Graph (service-principal), else the oid of the app-only token.
  const spObjectId = [
    evidence('service-principal', 'spObjectId'),
    evidence('app-credentials', 'servicePrincipalObjectId'),
    evidence('exchange-app-access', 'servicePrincipalObjectId'),
  ].find(isGuid);
  const appObjectId = [evidence('app-registration', 'objectId')].find(isGuid);
  return {
    cloud: Object.keys(CLOUDS).includes(t.cloud) ? t.cloud : 'global',
    tenant: isTenant(t.tenant) ? t.tenant : undefined,
    tenantId: [evidence('tenant-discovery', 'tenantId')].find(isGuid),
    appId: isGuid(t.clientId) ? t.clientId : undefined,
    // The app registration's object id is never offered as the service principal's.
    spObjectId: spObjectId && spObjectId.toLowerCase() !== appObjectId?.toLowerCase() ? spObjectId : undefined,
    appObjectId,
    mailbox: isUpn(t.username) ? t.username : undefined,
    activities: ACTIVITIES.filter((a) => Array.isArray(t.activities) && t.activities.includes(a)),
  };
}

export function isTimestamp(v: unknown): v is string {
  return typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?Z$/.test(v);
}

/** The endpoint flags whose value in the run differs from the cloud's own (a proxy, a test tenant, the emulator). */
export function overriddenEndpoints(report: RunReport, cloud: Cloud): string[] {
  const own = endpointValues(CLOUDS[cloud].endpoints);
  const ran = report.target.endpoints ?? {};
  return (Object.keys(own) as (keyof typeof own)[])
    .filter((k) => typeof ran[k] === 'string' && ran[k] !== own[k])
    .map((k) => FLAG_OF[k]);
}

/** `m365-doctor check --profile app-only ...` for this tenant, app and mailbox; never a secret (env, stdin or the prompt give it). */
export function verifyCommand(v: PlanValues, opts: PlanOptions): string {
  const base = 'm365-doctor check --profile app-only';
  if (opts.demo?.scenarioFile) return `${base} --scenario-file <the same scenario file>`;
  if (opts.demo)
    return opts.demo.scenario && /^[a-z0-9-]{1,64}$/.test(opts.demo.scenario)
      ? `${base} --scenario ${opts.demo.scenario}`
      : `${base} --demo`;
  const args = [
    `--tenant ${v.tenantId ?? v.tenant ?? '<tenant id>'}`,
    `--client-id ${v.appId ?? PLACEHOLDERS.appId}`,
    `--username ${v.mailbox ?? PLACEHOLDERS.mailbox}`,
    ...(v.activities.length && v.activities.length < ACTIVITIES.length
      ? [`--activities ${v.activities.join(',')}`]
      : []),
    ...(v.cloud !== 'global' ? [`--cloud ${v.cloud}`] : []),
  ];
  return `${base} ${args.join(' ')}`;
}

/** The client-credentials scope of Exchange Online in the tenant's cloud. */
export function appOnlyScope(cloud: Cloud): string {
  return `${CLOUDS[cloud].endpoints.exchangeResource}/.default`;
}

/** Where an administrator grants tenant-wide consent for the app (the cloud's own sign-in host, never the report's). */
export function adminConsentUrl(v: PlanValues): string | undefined {
  const tenant = v.tenantId ?? v.tenant;
  return tenant && v.appId
    ? `${CLOUDS[v.cloud].endpoints.authorityHost}/${tenant}/adminconsent?client_id=${v.appId}`
    : undefined;
}
