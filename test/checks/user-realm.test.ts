// user-realm: how Entra says the user signs in (managed, federated, unknown).
import { checkTester } from './check-tester.js';

checkTester('user-realm', {
  valid: [{ name: 'a cloud-managed user', status: 'pass', code: 'MANAGED_USER' }],
  invalid: [
    // Only the one ROPC attempt can tell whether cloud password validation is allowed: a warning, and the attempt is made.
    {
      name: 'a federated user without cloud password validation',
      scenario: 'federated-user',
      status: 'warn',
      code: 'FEDERATED_USER',
      verify: (_r, run) => {
        const t = run.get('ropc-token')!;
        if (t.code !== 'AADSTS50126' || t.causedBy !== 'user-realm') throw new Error(`${t.code} ${t.causedBy}`);
      },
    },
    {
      name: 'a personal Microsoft account',
      inputs: { username: 'someone@outlook.com' },
      status: 'fail',
      code: 'PERSONAL_ACCOUNT',
    },
    {
      name: 'a domain of an unmanaged (self-service sign-up) directory',
      status: 'warn',
      code: 'UNMANAGED_DIRECTORY',
      tenant: (t) => {
        for (const d of t.domains) d.isViral = true;
      },
    },
    { name: 'no user name given', inputs: { username: null }, status: 'skip', code: 'NO_INPUT' },
    {
      name: 'the app-only profile signs in without the user',
      inputs: { profile: 'app-only' },
      status: 'skip',
      code: 'NOT_IN_PROFILE',
    },
    {
      name: 'a user in a domain the tenant does not have',
      inputs: { username: 'connector@not-a-tenant-domain.example' },
      status: 'fail',
      code: 'UNKNOWN_REALM',
    },
  ],
});
