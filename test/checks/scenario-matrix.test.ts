// The scenario x check matrix: each emulator scenario fails exactly the checks it concerns, with the documented code;
// every other check passes, or skips with a reason.
import { describe, expect, it } from 'vitest';
import { builtinChecks } from '../../checks/index.js';
import { SCENARIO_NAMES } from '../../src/emulator/scenarios.js';
import { runScenario } from './run-scenario.js';

type Expect = `${'fail' | 'warn' | 'error'}:${string}`;

/** Checks that do not pass in a scenario: "status:code". Everything not listed must pass or skip. */
const MATRIX: Record<string, Record<string, Expect>> = {
  'healthy': {},
  'wrong-password': { 'ropc-token': 'fail:AADSTS50126' },
  'bad-secret': { 'app-credentials': 'fail:AADSTS7000215' },
  'expired-secret': { 'app-credentials': 'fail:AADSTS7000222', 'app-registration': 'fail:SECRET_EXPIRED' },
  'secret-expiring-soon': { 'app-registration': 'warn:SECRET_EXPIRING' },
  'app-not-in-tenant': { 'app-credentials': 'fail:AADSTS700016', 'app-registration': 'fail:APP_NOT_FOUND', 'service-principal': 'fail:SP_NOT_FOUND' },
  'tenant-not-found': { 'tenant-discovery': 'fail:AADSTS90002' },
  'wrong-cloud': { 'tenant-discovery': 'fail:WRONG_CLOUD' },
  'mfa-required': { 'ropc-token': 'fail:AADSTS50076', 'sign-in-policy': 'fail:CA_REQUIRES_MFA' },
  'conditional-access-blocked': { 'ropc-token': 'fail:AADSTS53003', 'sign-in-policy': 'fail:CA_BLOCKS' },
  'federated-user': { 'user-realm': 'fail:FEDERATED_USER' },
  'locked-user': { 'ropc-token': 'fail:AADSTS50053' },
  'disabled-user': { 'ropc-token': 'fail:AADSTS50057', 'user-account': 'fail:USER_DISABLED' },
  'password-expired': { 'ropc-token': 'fail:AADSTS50055' },
  'user-not-found': { 'ropc-token': 'fail:AADSTS50034', 'user-account': 'fail:USER_NOT_FOUND' },
  'missing-permission': { 'app-roles-exchange': 'fail:ROLES_MISSING', 'app-registration': 'fail:PERMISSION_MISSING', 'admin-consent': 'fail:CONSENT_MISSING' },
  'no-admin-consent': {
    'ropc-token': 'fail:AADSTS65001', 'app-roles-graph': 'fail:ROLES_MISSING', 'app-roles-exchange': 'fail:ROLES_MISSING',
    'admin-consent': 'fail:CONSENT_MISSING',
  },
  'no-license': { 'user-license': 'fail:NO_EXCHANGE_LICENSE', 'imap-login': 'fail:NO_MAILBOX', 'pop-login': 'fail:NO_MAILBOX', 'smtp-login': 'fail:NO_MAILBOX' },
  'not-business-standard': { 'user-license': 'warn:LICENSE_NOT_BUSINESS_STANDARD' },
  'smtp-auth-disabled-tenant': { 'smtp-login': 'fail:SMTP_AUTH_DISABLED_TENANT' },
  'smtp-auth-disabled-mailbox': { 'smtp-login': 'fail:SMTP_AUTH_DISABLED_MAILBOX' },
  'imap-disabled': { 'imap-login': 'fail:IMAP_DISABLED_FOR_MAILBOX', 'exchange-app-access': 'fail:IMAP_DISABLED_FOR_MAILBOX' },
  'pop-disabled': { 'pop-login': 'fail:POP_DISABLED_FOR_MAILBOX' },
  'exchange-sp-missing': { 'exchange-app-access': 'fail:EXCHANGE_SP_NOT_REGISTERED' },
  'exchange-sp-wrong-object-id': { 'exchange-app-access': 'fail:EXCHANGE_SP_NOT_REGISTERED' },
  'no-mailbox-permission': { 'exchange-app-access': 'fail:NO_MAILBOX_PERMISSION' },
  'graph-throttled': {
    'user-account': 'error:THROTTLED', 'app-registration': 'error:THROTTLED', 'service-principal': 'error:THROTTLED', 'sign-in-policy': 'error:THROTTLED',
  },
  'managed-mfa-report-only': { 'sign-in-policy': 'warn:CA_REPORT_ONLY' },
  'mfa-policy-excludes-user': {},
  'mfa-policy-other-apps': {},
  'guest-user': { 'ropc-token': 'fail:AADSTS50020', 'user-account': 'fail:USER_IS_GUEST' },
  'passwordless-user': { 'ropc-token': 'fail:AADSTS50056' },
  'assignment-required': { 'ropc-token': 'fail:AADSTS50105', 'service-principal': 'warn:ASSIGNMENT_REQUIRED' },
  'delegated-only-app': {
    'app-roles-graph': 'fail:ROLES_MISSING', 'app-roles-exchange': 'fail:ROLES_MISSING', 'app-registration': 'fail:PERMISSION_MISSING',
    'admin-consent': 'fail:CONSENT_MISSING',
  },
  'security-defaults': { 'ropc-token': 'fail:AADSTS50076', 'sign-in-policy': 'warn:SECURITY_DEFAULTS_ON' },
  'partial-consent': { 'ropc-token': 'fail:AADSTS65001', 'admin-consent': 'fail:CONSENT_MISSING' },
};

describe('scenario x check matrix', () => {
  it('covers every scenario the emulator has', () => {
    expect(Object.keys(MATRIX).sort()).toEqual([...SCENARIO_NAMES].sort());
  });

  it.each(Object.keys(MATRIX))('%s', async (scenario) => {
    const { results } = await runScenario(scenario);
    const expected = MATRIX[scenario];
    const actual: Record<string, string> = {};
    for (const check of builtinChecks) {
      const r = results.get(check.meta.id)!;
      if (r.status === 'pass') continue;
      if (r.status === 'skip') {
        // A skip always says why, in a closed set of reasons.
        expect(r.skipReason, `${r.id} skipped without a reason`).toBeTruthy();
        expect(r.message.length).toBeGreaterThan(10);
        continue;
      }
      actual[r.id] = `${r.status}:${r.code}`;
    }
    expect(actual).toEqual(expected);
    // Every failure carries a remediation specific to it, with no unfilled placeholder.
    for (const id of Object.keys(expected)) {
      const r = results.get(id)!;
      if (r.status === 'fail') expect(r.remediation, `${id} has no remediation`).toBeTruthy();
      expect(`${r.message} ${r.remediation ?? ''}`).not.toMatch(/\{[a-zA-Z]+\}/);
    }
    // Only smtp-send (needs --send-test-mail) may skip in the healthy tenant.
    if (scenario === 'healthy') {
      const skipped = [...results.values()].filter((r) => r.status === 'skip').map((r) => r.id);
      expect(skipped).toEqual(['smtp-send']);
    }
  }, 60_000);
});
