// user-realm: how Entra says the user signs in (managed, federated, unknown).
import { checkTester } from './check-tester.js';

checkTester('user-realm', {
  valid: [
    { name: 'a cloud-managed user', status: 'pass', code: 'MANAGED_USER' },
  ],
  invalid: [
    { name: 'a federated user without cloud password validation', scenario: 'federated-user', status: 'fail', code: 'FEDERATED_USER' },
    { name: 'a user in a domain the tenant does not have', inputs: { username: 'connector@not-a-tenant-domain.example' },
      status: 'fail', code: 'UNKNOWN_REALM' },
  ],
});
