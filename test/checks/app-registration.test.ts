// app-registration: the registration lists every permission, and its secret is not about to expire.
import { checkTester } from './check-tester.js';

checkTester('app-registration', {
  valid: [{ name: 'the healthy registration', status: 'pass', code: 'REGISTRATION_OK' }],
  invalid: [
    { name: 'no app with that client id', scenario: 'app-not-in-tenant', status: 'fail', code: 'APP_NOT_FOUND' },
    {
      name: 'IMAP.AccessAsApp and POP.AccessAsApp not listed',
      scenario: 'missing-permission',
      status: 'fail',
      code: 'PERMISSION_MISSING',
    },
    { name: 'every secret expired', scenario: 'expired-secret', status: 'fail', code: 'SECRET_EXPIRED' },
    { name: 'the secret ends in 10 days', scenario: 'secret-expiring-soon', status: 'warn', code: 'SECRET_EXPIRING' },
    {
      name: 'no secret and public client flows off',
      inputs: { clientSecret: null },
      status: 'fail',
      code: 'PUBLIC_CLIENT_DISABLED',
    },
    {
      name: 'no directory reader',
      inputs: { adminClientId: null, adminClientSecret: null },
      status: 'skip',
      code: 'NEEDS_DIRECTORY_READER',
    },
  ],
});
