// ropc-token: one password-grant attempt; every Entra refusal is reported with its AADSTS code.
import { checkTester } from './check-tester.js';

checkTester('ropc-token', {
  valid: [
    { name: 'the healthy tenant', status: 'pass', code: 'ROPC_OK' },
  ],
  invalid: [
    { name: 'app-credentials failed: the same secret is not sent again', scenario: 'bad-secret', status: 'skip', code: 'APP_CREDENTIALS_FAILED' },
    { name: 'a wrong password', scenario: 'wrong-password', status: 'fail', code: 'AADSTS50126' },
    { name: 'a guest user', scenario: 'guest-user', status: 'fail', code: 'AADSTS50020' },
    { name: 'a passwordless user', scenario: 'passwordless-user', status: 'fail', code: 'AADSTS50056' },
    { name: 'assignment required and the user not assigned', scenario: 'assignment-required', status: 'fail', code: 'AADSTS50105' },
    { name: 'security defaults', scenario: 'security-defaults', status: 'fail', code: 'AADSTS50076' },
    { name: 'consent for a subset of the scopes asked for', scenario: 'partial-consent', status: 'fail', code: 'AADSTS65001' },
    { name: 'no secret and public client flows off', inputs: { clientSecret: null }, status: 'fail', code: 'AADSTS7000218' },
  ],
});
