// The scenario x check matrix: each emulator scenario fails exactly the checks it concerns, with the documented code
// and, for a symptom, the check that is its root cause; every other check passes, or skips with a reason. A check
// skips because of another only when its own input does not exist (no token, no user), and those skips are listed.
import { describe, expect, it } from 'vitest';
import { builtinChecks } from '../../checks/index.js';
import { SCENARIO_NAMES } from '../../src/emulator/scenarios.js';
import type { CheckResult } from '../../src/core/result.js';
import { runScenario } from './run-scenario.js';

/** "status:code", or "status:code<cause" when the result names its root cause (causedBy). */
type Expect = `${'fail' | 'warn' | 'error'}:${string}`;

interface Row {
  /** Checks that do not pass. Everything not listed must pass or skip. */
  results: Record<string, Expect>;
  /** Checks skipped because an input of theirs does not exist (skipReason dependency-failed). */
  skipped?: string[];
  /** POSTs with grant_type=password the emulator saw (default 1: the one attempt). */
  ropcPosts?: number;
  /** Results asserted whatever their status (a pass's code says what it vouches for). */
  exact?: Record<string, string>;
}

const NO_TOKEN = ['ropc-scopes', 'imap-login', 'pop-login', 'smtp-login', 'smtp-send'];
const NO_TENANT = [
  'app-credentials',
  'app-roles-graph',
  'app-roles-exchange',
  'ropc-token',
  'ropc-scopes',
  'user-account',
  'user-license',
  'app-registration',
  'admin-consent',
  'service-principal',
  'sign-in-policy',
  'imap-login',
  'pop-login',
  'smtp-login',
  'exchange-app-access',
  'exchange-app-smtp',
  'smtp-send',
];
const NO_APP = [
  'app-roles-graph',
  'app-roles-exchange',
  'ropc-token',
  ...NO_TOKEN,
  'exchange-app-access',
  'exchange-app-smtp',
];

const MATRIX: Record<string, Row> = {
  healthy: { results: {} },
  'wrong-password': { results: { 'ropc-token': 'fail:AADSTS50126' }, skipped: NO_TOKEN },
  'bad-secret': { results: { 'app-credentials': 'fail:AADSTS7000215' }, skipped: NO_APP, ropcPosts: 0 },
  'expired-secret': {
    results: { 'app-credentials': 'fail:AADSTS7000222<app-registration', 'app-registration': 'fail:SECRET_EXPIRED' },
    skipped: NO_APP,
    ropcPosts: 0,
  },
  'secret-expiring-soon': { results: { 'app-registration': 'warn:SECRET_EXPIRING' } },
  'app-not-in-tenant': {
    results: {
      'app-credentials': 'fail:AADSTS700016<app-registration',
      'app-registration': 'fail:APP_NOT_FOUND',
      'service-principal': 'fail:SP_NOT_FOUND<app-registration',
    },
    skipped: [...NO_APP, 'admin-consent'],
    ropcPosts: 0,
  },
  'tenant-not-found': { results: { 'tenant-discovery': 'fail:AADSTS90002' }, skipped: NO_TENANT, ropcPosts: 0 },
  'wrong-cloud': { results: { 'tenant-discovery': 'fail:WRONG_CLOUD' }, skipped: NO_TENANT, ropcPosts: 0 },
  'mfa-required': {
    results: { 'ropc-token': 'fail:AADSTS50076<sign-in-policy', 'sign-in-policy': 'fail:CA_REQUIRES_MFA' },
    skipped: NO_TOKEN,
  },
  'conditional-access-blocked': {
    results: { 'ropc-token': 'fail:AADSTS53003<sign-in-policy', 'sign-in-policy': 'fail:CA_BLOCKS' },
    skipped: NO_TOKEN,
  },
  // Federated without the HRD policy: a warn, the one attempt is made, and Entra's AADSTS50126 is explained by the realm.
  'federated-user': {
    results: { 'user-realm': 'warn:FEDERATED_USER', 'ropc-token': 'fail:AADSTS50126<user-realm' },
    skipped: NO_TOKEN,
  },
  'federated-user-hrd': { results: { 'user-realm': 'warn:FEDERATED_USER' } },
  'locked-user': { results: { 'ropc-token': 'fail:AADSTS50053' }, skipped: NO_TOKEN },
  'disabled-user': {
    results: { 'ropc-token': 'fail:AADSTS50057<user-account', 'user-account': 'fail:USER_DISABLED' },
    skipped: NO_TOKEN,
  },
  'password-expired': { results: { 'ropc-token': 'fail:AADSTS50055' }, skipped: NO_TOKEN },
  // The user does not exist: the attempt could only fail, so it is not made.
  'user-not-found': {
    results: { 'user-account': 'fail:USER_NOT_FOUND' },
    skipped: ['ropc-token', ...NO_TOKEN, 'user-license', 'exchange-app-access', 'exchange-app-smtp'],
    ropcPosts: 0,
  },
  'missing-permission': {
    results: {
      'app-roles-exchange': 'fail:ROLES_MISSING<app-registration',
      'app-registration': 'fail:PERMISSION_MISSING',
      'admin-consent': 'fail:CONSENT_MISSING<app-registration',
      'exchange-app-access': 'fail:ROLES_MISSING<app-roles-exchange',
    },
  },
  // A token that lacks SMTP.Send: reading is still tried (and works); the SMTP refusal points at the missing scope.
  'smtp-send-not-consented': {
    results: {
      'ropc-scopes': 'fail:SCOPE_MISSING<admin-consent',
      'admin-consent': 'fail:CONSENT_MISSING',
      'smtp-login': 'fail:SCOPE_MISSING<ropc-scopes',
    },
    skipped: ['smtp-send'],
  },
  'app-only-ready': { results: {} },
  'no-admin-consent': {
    results: {
      'ropc-token': 'fail:AADSTS65001<admin-consent',
      'app-roles-graph': 'fail:ROLES_MISSING<admin-consent',
      'app-roles-exchange': 'fail:ROLES_MISSING<admin-consent',
      'admin-consent': 'fail:CONSENT_MISSING',
      'exchange-app-access': 'fail:ROLES_MISSING<app-roles-exchange',
    },
    skipped: NO_TOKEN,
  },
  'no-license': {
    results: {
      'user-license': 'fail:NO_EXCHANGE_LICENSE',
      'imap-login': 'fail:NO_MAILBOX<user-license',
      'pop-login': 'fail:NO_MAILBOX<user-license',
      'smtp-login': 'fail:NO_MAILBOX<user-license',
      'exchange-app-access': 'fail:NO_MAILBOX<user-license',
    },
    skipped: ['smtp-send'],
  },
  'not-business-standard': { results: { 'user-license': 'warn:LICENSE_NOT_BUSINESS_STANDARD' } },
  'smtp-auth-disabled-tenant': { results: { 'smtp-login': 'fail:SMTP_AUTH_DISABLED_TENANT' }, skipped: ['smtp-send'] },
  'smtp-auth-disabled-mailbox': {
    results: { 'smtp-login': 'fail:SMTP_AUTH_DISABLED_MAILBOX' },
    skipped: ['smtp-send'],
  },
  'imap-disabled': {
    results: {
      'imap-login': 'fail:IMAP_DISABLED_FOR_MAILBOX',
      'exchange-app-access': 'fail:IMAP_DISABLED_FOR_MAILBOX<imap-login',
    },
  },
  'pop-disabled': { results: { 'pop-login': 'fail:POP_DISABLED_FOR_MAILBOX' } },
  'exchange-sp-missing': { results: { 'exchange-app-access': 'fail:EXCHANGE_SP_NOT_REGISTERED' } },
  'exchange-sp-wrong-object-id': { results: { 'exchange-app-access': 'fail:EXCHANGE_SP_NOT_REGISTERED' } },
  'no-mailbox-permission': { results: { 'exchange-app-access': 'fail:NO_MAILBOX_PERMISSION' } },
  // App-only SMTP: in the vendor profile exchange-app-smtp logs in app-only when the app holds SMTP.SendAsApp. A missing
  // right to send as the mailbox shows only at submission (the app-only rows with --send-test-mail below).
  'app-only-smtp-role-missing': { results: {} },
  'app-only-smtp-sp-missing': {
    results: {
      'exchange-app-access': 'fail:EXCHANGE_SP_NOT_REGISTERED',
      'exchange-app-smtp': 'fail:EXCHANGE_SP_NOT_REGISTERED<exchange-app-access',
    },
  },
  'app-only-smtp-wrong-object-id': {
    results: {
      'exchange-app-access': 'fail:EXCHANGE_SP_NOT_REGISTERED',
      'exchange-app-smtp': 'fail:EXCHANGE_SP_NOT_REGISTERED<exchange-app-access',
    },
  },
  'app-only-smtp-no-send-as': { results: { 'exchange-app-access': 'fail:NO_MAILBOX_PERMISSION' } },
  'app-only-smtp-rbac-out-of-scope': { results: { 'exchange-app-access': 'fail:NO_MAILBOX_PERMISSION' } },
  // RBAC for Applications instead of the Entra permission: the vendor profile does not send app-only (exchange-app-smtp skips).
  'app-only-rbac-scoped': { results: {}, exact: { 'exchange-app-smtp': 'skip:NOT_HELD' } },
  'graph-throttled': {
    results: {
      'user-account': 'error:THROTTLED',
      'user-license': 'error:THROTTLED',
      'app-registration': 'error:THROTTLED',
      'service-principal': 'error:THROTTLED',
      'sign-in-policy': 'error:THROTTLED',
      'admin-consent': 'error:THROTTLED',
    },
  },
  // The policy radar: Microsoft-managed policies in report-only mode warn (with the date they may be turned on);
  // an MFA policy that excludes the user, or covers other apps only, is no finding.
  'managed-mfa-report-only': { results: { 'sign-in-policy': 'warn:CA_REPORT_ONLY' } },
  // Microsoft has turned its managed MFA policy on: the check names it, and Entra's AADSTS50076 is explained by it.
  'managed-mfa-enabled': {
    results: { 'ropc-token': 'fail:AADSTS50076<sign-in-policy', 'sign-in-policy': 'fail:CA_MANAGED_ENABLED' },
    skipped: NO_TOKEN,
  },
  'mfa-policy-excludes-user': { results: {} },
  'mfa-policy-other-apps': { results: {} },
  'guest-user': {
    results: {
      'ropc-token': 'fail:AADSTS50020<user-account',
      'user-account': 'fail:USER_IS_GUEST',
      'user-license': 'fail:NO_EXCHANGE_LICENSE<user-account',
      'exchange-app-access': 'fail:NO_MAILBOX<user-license',
    },
    skipped: NO_TOKEN,
  },
  'passwordless-user': { results: { 'ropc-token': 'fail:AADSTS50056' }, skipped: NO_TOKEN },
  'assignment-required': {
    results: { 'ropc-token': 'fail:AADSTS50105<service-principal', 'service-principal': 'warn:ASSIGNMENT_REQUIRED' },
    skipped: NO_TOKEN,
  },
  // The vendor profile needs the application permissions this app lacks; the delegated logins still work.
  'delegated-only-app': {
    results: {
      'app-roles-graph': 'fail:ROLES_MISSING<app-registration',
      'app-roles-exchange': 'fail:ROLES_MISSING<app-registration',
      'app-registration': 'fail:PERMISSION_MISSING',
      'admin-consent': 'fail:CONSENT_MISSING<app-registration',
      'exchange-app-access': 'fail:ROLES_MISSING<app-roles-exchange',
    },
  },
  'security-defaults': {
    results: { 'ropc-token': 'fail:AADSTS50076<sign-in-policy', 'sign-in-policy': 'warn:SECURITY_DEFAULTS_ON' },
    skipped: NO_TOKEN,
  },
  'partial-consent': {
    results: { 'ropc-token': 'fail:AADSTS65001<admin-consent', 'admin-consent': 'fail:CONSENT_MISSING' },
    skipped: NO_TOKEN,
  },
  // Found before any mail is written: a connector sending from its UPN would be refused (smtp-send needs the flag).
  'upn-not-mail-address': { results: { 'user-account': 'warn:UPN_NOT_AN_ADDRESS' } },
  // One cause, the user name: the token for the UPN and the SMTP refusal of user=<mail address> both point at it.
  'email-alternate-login-id': {
    results: {
      'user-account': 'warn:USERNAME_NOT_UPN',
      'ropc-scopes': 'warn:UPN_MISMATCH<user-account',
      'smtp-login': 'fail:AUTH_REJECTED<user-account',
    },
    skipped: ['smtp-send'],
  },
};

/** The same scenarios judged against the other connector profiles. */
const PROFILE_MATRIX: Record<string, Row & { scenario: string; profile: string; sendTestMail?: boolean }> = {
  'delegated-only-app, delegated': { scenario: 'delegated-only-app', profile: 'delegated', results: {} },
  // Only delegated scopes needed: the missing application permissions are mentioned, never failed.
  'missing-permission, delegated': { scenario: 'missing-permission', profile: 'delegated', results: {} },
  'healthy, delegated': { scenario: 'healthy', profile: 'delegated', results: {} },
  'no-admin-consent, delegated': {
    scenario: 'no-admin-consent',
    profile: 'delegated',
    results: { 'ropc-token': 'fail:AADSTS65001<admin-consent', 'admin-consent': 'fail:CONSENT_MISSING' },
    skipped: NO_TOKEN,
  },
  // App-only: no password grant at all; the logins use the client-credentials token.
  'app-only-ready, app-only': { scenario: 'app-only-ready', profile: 'app-only', results: {}, ropcPosts: 0 },
  'healthy, app-only': {
    scenario: 'healthy',
    profile: 'app-only',
    ropcPosts: 0,
    skipped: ['smtp-send'],
    results: {
      'smtp-login': 'fail:ROLE_MISSING',
    },
  },
  'no-mailbox-permission, app-only': {
    scenario: 'no-mailbox-permission',
    profile: 'app-only',
    ropcPosts: 0,
    results: {
      'imap-login': 'fail:APP_MAILBOX_NOT_OPENED',
      'pop-login': 'fail:APP_MAILBOX_NOT_OPENED<imap-login',
      'smtp-login': 'fail:ROLE_MISSING',
    },
    skipped: ['smtp-send'],
  },
  // App-only SMTP, each step of the set-up missing; a right to send as the mailbox is proven only by a submission.
  'app-only-ready, app-only, --send-test-mail': {
    scenario: 'app-only-ready',
    profile: 'app-only',
    sendTestMail: true,
    results: {},
    ropcPosts: 0,
  },
  'app-only-smtp-role-missing, app-only': {
    scenario: 'app-only-smtp-role-missing',
    profile: 'app-only',
    ropcPosts: 0,
    results: {
      'smtp-login': 'fail:ROLE_MISSING',
    },
    skipped: ['smtp-send'],
  },
  ...Object.fromEntries(
    ['app-only-smtp-sp-missing', 'app-only-smtp-wrong-object-id'].map((scenario) => [
      `${scenario}, app-only`,
      {
        scenario,
        profile: 'app-only',
        ropcPosts: 0,
        results: {
          'imap-login': 'fail:APP_NOT_REGISTERED',
          'pop-login': 'fail:APP_NOT_REGISTERED<imap-login',
          'smtp-login': 'fail:APP_NOT_REGISTERED<imap-login',
        },
        skipped: ['smtp-send'],
      },
    ]),
  ),
  ...Object.fromEntries(
    ['app-only-smtp-no-send-as', 'app-only-smtp-rbac-out-of-scope'].map((scenario) => [
      `${scenario}, app-only, --send-test-mail`,
      {
        scenario,
        profile: 'app-only',
        sendTestMail: true,
        ropcPosts: 0,
        results: {
          'imap-login': 'fail:APP_MAILBOX_NOT_OPENED',
          'pop-login': 'fail:APP_MAILBOX_NOT_OPENED<imap-login',
          'smtp-send': 'fail:APP_SEND_DENIED',
        },
      },
    ]),
  ),
  'exchange-sp-missing, app-only': {
    scenario: 'exchange-sp-missing',
    profile: 'app-only',
    ropcPosts: 0,
    results: {
      'imap-login': 'fail:APP_NOT_REGISTERED',
      'pop-login': 'fail:APP_NOT_REGISTERED<imap-login',
      'smtp-login': 'fail:ROLE_MISSING',
    },
    skipped: ['smtp-send'],
  },
  // RBAC for Applications as Microsoft advises (no SMTP.SendAsApp in Entra, the Exchange role scoped to the mailbox):
  // no false failure; the token's missing role is left to the login, which Exchange accepts and a submission proves.
  ...Object.fromEntries(
    ['', ', --send-test-mail'].map((flag) => [
      `app-only-rbac-scoped, app-only${flag}`,
      {
        scenario: 'app-only-rbac-scoped',
        profile: 'app-only',
        sendTestMail: flag !== '',
        ropcPosts: 0,
        results: {},
        exact: {
          'app-roles-exchange': 'pass:ROLES_OK_SEND_BY_LOGIN',
          'app-registration': 'pass:REGISTRATION_OK',
          'admin-consent': 'pass:CONSENT_OK',
          'smtp-login': 'pass:SMTP_OK',
          'smtp-send': flag ? 'pass:TEST_MAIL_SENT' : 'skip:NEEDS_FLAG',
        },
      },
    ]),
  ),
};

const label = (r: CheckResult) => `${r.status}:${r.code}${r.causedBy ? `<${r.causedBy}` : ''}`;

async function assertRow(scenario: string, row: Row, extra: Record<string, unknown> = {}) {
  const { results, emulator } = await runScenario(scenario, extra);
  const actual: Record<string, string> = {};
  const skipped: string[] = [];
  for (const check of builtinChecks) {
    const r = results.get(check.meta.id)!;
    if (r.status === 'pass') continue;
    if (r.status === 'skip') {
      // A skip always says why, in a closed set of reasons.
      expect(r.skipReason, `${r.id} skipped without a reason`).toBeTruthy();
      expect(r.message.length).toBeGreaterThan(10);
      if (r.skipReason === 'dependency-failed') skipped.push(r.id);
      continue;
    }
    actual[r.id] = label(r);
  }
  expect(actual).toEqual(row.results);
  for (const [id, expected] of Object.entries(row.exact ?? {})) expect(label(results.get(id)!), id).toBe(expected);
  expect(skipped.sort()).toEqual([...new Set(row.skipped ?? [])].sort());
  const ropcPosts = emulator.log.entries.filter(
    (e) => e.service === 'entra' && e.method === 'POST' && e.detail === 'password',
  ).length;
  expect(ropcPosts, 'ROPC POSTs').toBe(row.ropcPosts ?? 1);
  // Every failure carries a remediation specific to it, with no unfilled placeholder; a cause is a check of this run.
  for (const id of Object.keys(row.results)) {
    const r = results.get(id)!;
    if (r.status === 'fail') expect(r.remediation, `${id} has no remediation`).toBeTruthy();
    expect(`${r.message} ${r.remediation ?? ''}`).not.toMatch(/\{[a-zA-Z]+\}/);
    if (r.causedBy) expect(['fail', 'warn']).toContain(results.get(r.causedBy)?.status);
  }
  return results;
}

describe('scenario x check matrix', () => {
  it('covers every scenario the emulator has', () => {
    expect(Object.keys(MATRIX).sort()).toEqual([...SCENARIO_NAMES].sort());
  });

  it.each(Object.keys(MATRIX))(
    '%s',
    async (scenario) => {
      const results = await assertRow(scenario, MATRIX[scenario]);
      // Only smtp-send (needs --send-test-mail) and exchange-app-smtp (the app does not send app-only) may skip in the healthy tenant.
      if (scenario === 'healthy') {
        expect([...results.values()].filter((r) => r.status === 'skip').map((r) => r.id)).toEqual([
          'exchange-app-smtp',
          'smtp-send',
        ]);
      }
    },
    60_000,
  );

  it.each(Object.keys(PROFILE_MATRIX))(
    '%s',
    async (name) => {
      const row = PROFILE_MATRIX[name];
      await assertRow(row.scenario, row, { profile: row.profile, ...(row.sendTestMail ? { sendTestMail: true } : {}) });
    },
    60_000,
  );
});
