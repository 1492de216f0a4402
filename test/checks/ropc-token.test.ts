// ropc-token: one password-grant attempt; every Entra refusal is reported with its AADSTS code.
import { checkTester } from './check-tester.js';

checkTester('ropc-token', {
  valid: [{ name: 'the healthy tenant', status: 'pass', code: 'ROPC_OK' }],
  invalid: [
    {
      name: 'app-credentials failed: the same secret is not sent again',
      scenario: 'bad-secret',
      status: 'skip',
      code: 'APP_CREDENTIALS_FAILED',
    },
    { name: 'a wrong password', scenario: 'wrong-password', status: 'fail', code: 'AADSTS50126' },
    { name: 'a guest user', scenario: 'guest-user', status: 'fail', code: 'AADSTS50020' },
    { name: 'a passwordless user', scenario: 'passwordless-user', status: 'fail', code: 'AADSTS50056' },
    {
      name: 'assignment required and the user not assigned',
      scenario: 'assignment-required',
      status: 'fail',
      code: 'AADSTS50105',
    },
    { name: 'security defaults', scenario: 'security-defaults', status: 'fail', code: 'AADSTS50076' },
    {
      name: 'consent for a subset of the scopes asked for',
      scenario: 'partial-consent',
      status: 'fail',
      code: 'AADSTS65001',
    },
    {
      name: 'no secret and public client flows off',
      inputs: { clientSecret: null },
      status: 'fail',
      code: 'AADSTS7000218',
    },
    // A transient Entra outage decides nothing about the tenant: an error that says to retry, never a fail.
    {
      name: 'Entra answers AADSTS90033 (a transient outage)',
      faults: { entra: 'aadsts90033' },
      status: 'error',
      code: 'AADSTS90033',
      verify: (r) => {
        if (!/transient outage/.test(r.message) || !/re-run in a few minutes/.test(r.remediation ?? ''))
          throw new Error(`${r.message} ${r.remediation}`);
      },
    },
    {
      name: 'a personal Microsoft account: not tried',
      inputs: { username: 'someone@outlook.com' },
      status: 'skip',
      code: 'REALM_REFUSES',
      verify: (r) => {
        if (r.causedBy !== 'user-realm') throw new Error(String(r.causedBy));
      },
    },
    {
      name: 'a domain Entra does not know: not tried',
      inputs: { username: 'connector@not-a-tenant-domain.example' },
      status: 'skip',
      code: 'REALM_REFUSES',
    },
    {
      name: 'a user the tenant does not have: not tried',
      scenario: 'user-not-found',
      status: 'skip',
      code: 'USER_UNKNOWN',
      verify: (r) => {
        if (r.causedBy !== 'user-account') throw new Error(String(r.causedBy));
      },
    },
    {
      name: 'a password with a trailing space: not tried',
      inputs: { password: 'Demo-Passw0rd!2026 ' },
      status: 'skip',
      code: 'PASSWORD_UNUSABLE',
    },
    { name: 'no password given', inputs: { password: null }, status: 'skip', code: 'NO_INPUT' },
    {
      name: 'the app-only profile never uses the password grant',
      inputs: { profile: 'app-only' },
      status: 'skip',
      code: 'NOT_IN_PROFILE',
    },
  ],
});
