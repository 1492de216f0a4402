// tenant-discovery: the tenant exists and lives in the cloud the tool was pointed at.
import { checkTester } from './check-tester.js';

checkTester('tenant-discovery', {
  valid: [{ name: 'a global-cloud tenant checked as global', status: 'pass', code: 'TENANT_FOUND' }],
  invalid: [
    {
      name: 'a GCC High tenant checked as global',
      scenario: 'wrong-cloud',
      status: 'fail',
      code: 'WRONG_CLOUD',
      verify: (r) => {
        if (!r.remediation?.includes('--cloud usgov')) throw new Error(String(r.remediation));
      },
    },
    { name: 'a tenant that does not exist', scenario: 'tenant-not-found', status: 'fail', code: 'AADSTS90002' },
    { name: 'no tenant given', inputs: { tenant: null }, status: 'skip', code: 'NO_INPUT' },
    {
      name: 'tenant "common" is no specific tenant',
      inputs: { tenant: 'common' },
      status: 'skip',
      code: 'NO_INPUT',
      verify: (r) => {
        if (r.causedBy !== 'config' || !r.message.includes('specific tenant')) throw new Error(r.message);
      },
    },
  ],
});
