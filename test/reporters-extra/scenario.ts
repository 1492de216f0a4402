// A failing run over the 19 built-in checks, with their real ids, dependencies and texts: the ROPC password is wrong,
// so everything that needs the token is skipped; the app's newest secret expires soon; app-only mailbox access lacks FullAccess.
import { builtinChecks } from '../../checks/index.js';
import { aadstsText } from '../../src/m365/aadsts.js';
import type { SkipReason, Status } from '../../src/core/check.js';
import type { CheckResult, RunReport } from '../../src/core/result.js';
import { summarize } from '../../src/runner/report.js';

const DATA: Record<string, string> = {
  username: 'mailbox@contoso.onmicrosoft.com',
  upn: 'mailbox@contoso.onmicrosoft.com',
  mailbox: 'mailbox@contoso.onmicrosoft.com',
  clientId: '11111111-2222-3333-4444-555555555555',
  tenant: 'contoso.onmicrosoft.com',
  tenantId: '9188040d-6c67-4c5b-b112-36a304b66dad',
  spObjectId: '7d3e1c52-8f0a-4b8e-9d1e-0c1f2a3b4c5d',
  appObjectId: '0a1b2c3d-4e5f-6789-abcd-ef0123456789',
  displayName: 'Contoso mail connector',
  activities: 'read-imap, read-pop, send-smtp',
  protocol: 'IMAP',
  days: '12',
  expires: '2025-07-01',
  policies: '4',
  cloud: 'global',
  authorityHost: 'https://login.microsoftonline.com',
  domain: 'contoso.onmicrosoft.com',
  tenantDomain: 'contoso.onmicrosoft.com',
  scope:
    'https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/POP.AccessAsUser.All https://outlook.office.com/SMTP.Send',
  roles: 'IMAP.AccessAsApp, POP.AccessAsApp',
  secretEnd: '2025-07-01',
  cloudInstanceName: 'microsoftonline.com',
  region: 'EU',
  id: '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
  plan: 'EXCHANGE_S_STANDARD',
  resource: 'https://outlook.office365.com',
  delegated: 'IMAP.AccessAsUser.All, POP.AccessAsUser.All, SMTP.Send, offline_access',
  product: 'Microsoft 365 Business Standard',
  realm: 'Managed',
  afterAuthLine: 'A1 OK AUTHENTICATE completed.',
};

interface Plan {
  status: Status;
  code?: string;
  skipReason?: SkipReason;
  message?: string;
  remediation?: string;
  evidence?: CheckResult['evidence'];
}

const PLAN: Record<string, Plan> = {
  'app-registration': {
    status: 'warn',
    code: 'SECRET_EXPIRING',
    evidence: { secretHint: 'Qx7', endDateTime: '2025-07-01T00:00:00Z', daysLeft: 12 },
  },
  'ropc-token': {
    status: 'fail',
    code: 'AADSTS50126',
    evidence: {
      httpStatus: 400,
      error: 'invalid_grant',
      errorCodes: ['50126'],
      traceId: 'b5c3d6e2-0a4f-4c1e-9b7a-2f1e3d4c5b6a',
      attempts: 1,
    },
  },
  'ropc-scopes': {
    status: 'skip',
    skipReason: 'dependency-failed',
    message: 'Skipped: depends on ropc-token, which failed.',
  },
  'imap-login': {
    status: 'skip',
    skipReason: 'dependency-failed',
    message: 'Skipped: depends on ropc-scopes, which was skipped.',
  },
  'pop-login': {
    status: 'skip',
    skipReason: 'dependency-failed',
    message: 'Skipped: depends on ropc-scopes, which was skipped.',
  },
  'smtp-login': {
    status: 'skip',
    skipReason: 'dependency-failed',
    message: 'Skipped: depends on ropc-scopes, which was skipped.',
  },
  'smtp-send': {
    status: 'skip',
    skipReason: 'dependency-failed',
    message: 'Skipped: depends on smtp-login, which was skipped.',
  },
  'exchange-app-access': {
    status: 'fail',
    code: 'NO_MAILBOX_PERMISSION',
    evidence: {
      protocol: 'IMAP',
      mailbox: DATA.mailbox,
      afterAuthLine: 'A1 NO AUTHENTICATE failed.',
      servicePrincipalRegistered: true,
    },
  },
  'sign-in-policy': {
    status: 'error',
    code: 'TIMEOUT',
    message: 'Could not read the Conditional Access policies: Graph did not answer within 15 s.',
    remediation: 'Run the check again; if it persists, check the network path to graph.microsoft.com.',
    evidence: { url: 'https://graph.microsoft.com/v1.0/identity/conditionalAccess/policies', timeoutMs: 15000 },
  },
};

function fill(template: string): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => DATA[k] ?? m);
}

export function failingScenario(base: RunReport): RunReport {
  const checks: CheckResult[] = builtinChecks.map((check, i) => {
    const m = check.meta;
    const plan: Plan = PLAN[m.id] ?? { status: 'pass' };
    const codes = m.codes as Record<string, { message: string; remediation?: string }>;
    const code = plan.code ?? Object.keys(codes).find((k) => k.endsWith('_OK')) ?? Object.keys(codes)[0];
    const text = code.startsWith('AADSTS') ? aadstsText(code) : codes[code];
    return {
      id: m.id,
      title: m.title,
      category: m.category,
      status: plan.status,
      message: plan.message ?? fill(text?.message ?? `${m.title}: ${plan.status}.`),
      ...(plan.status === 'skip' ? {} : { code }),
      ...(plan.status !== 'pass' && plan.status !== 'skip' && (plan.remediation ?? text?.remediation)
        ? { remediation: fill(plan.remediation ?? text!.remediation!) }
        : {}),
      ...(plan.skipReason ? { skipReason: plan.skipReason } : {}),
      evidence: plan.evidence ?? (plan.status === 'pass' ? { checkedAt: base.startedAt } : {}),
      docsUrl: m.docsUrl,
      durationMs: plan.status === 'skip' ? 0 : 40 + ((i * 137) % 900),
      dependsOn: [...m.dependsOn],
    };
  });
  return { ...base, summary: summarize(checks), checks, durationMs: 4210, criticalPathMs: 2875 };
}
