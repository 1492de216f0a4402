// app-credentials: a client-credentials token proves the app id and its secret.
import { checkTester } from './check-tester.js';

checkTester('app-credentials', {
  valid: [{ name: 'the right id and secret', status: 'pass', code: 'APP_CREDENTIALS_OK' }],
  invalid: [
    { name: 'no client secret: nothing to test', inputs: { clientSecret: null }, status: 'skip', code: 'NO_SECRET' },
    { name: 'a wrong secret', scenario: 'bad-secret', status: 'fail', code: 'AADSTS7000215' },
    // Entra's refusal and the registration's own finding are one cause: the directory finding leads.
    {
      name: 'an expired secret',
      scenario: 'expired-secret',
      status: 'fail',
      code: 'AADSTS7000222',
      verify: (r) => {
        if (r.causedBy !== 'app-registration') throw new Error(String(r.causedBy));
      },
    },
    {
      name: 'an app that is not in the tenant',
      scenario: 'app-not-in-tenant',
      status: 'fail',
      code: 'AADSTS700016',
      verify: (r) => {
        if (r.causedBy !== 'app-registration') throw new Error(String(r.causedBy));
      },
    },
    {
      name: 'an expired secret, without a directory reader to see why',
      scenario: 'expired-secret',
      inputs: { adminClientId: null, adminClientSecret: null },
      status: 'fail',
      code: 'AADSTS7000222',
      verify: (r) => {
        if (r.causedBy) throw new Error(r.causedBy);
      },
    },
    {
      name: 'a disabled enterprise application',
      status: 'fail',
      code: 'AADSTS7000112',
      tenant: (t, c) => {
        t.servicePrincipals.find((s) => s.appId === c.clientId)!.accountEnabled = false;
      },
    },
    { name: 'no client id given', inputs: { clientId: null }, status: 'skip', code: 'NO_INPUT' },
  ],
});
