// config: the inputs are complete and well-formed before anything goes on the network.
import { checkTester } from './check-tester.js';

checkTester('config', {
  valid: [{ name: 'every input given', status: 'pass', code: 'CONFIG_OK' }],
  invalid: [
    {
      name: 'no password',
      inputs: { password: null },
      status: 'fail',
      code: 'MISSING_INPUT',
      verify: (r) => {
        if (!r.message.includes('password')) throw new Error(r.message);
      },
    },
    { name: 'tenant "common"', inputs: { tenant: 'common' }, status: 'fail', code: 'TENANT_NOT_SPECIFIC' },
    {
      name: 'a password with a trailing space',
      inputs: { password: 'Demo-Passw0rd!2026 ' },
      status: 'fail',
      code: 'PASSWORD_WHITESPACE',
    },
    { name: 'no client secret', inputs: { clientSecret: null }, status: 'warn', code: 'NO_CLIENT_SECRET' },
  ],
});
