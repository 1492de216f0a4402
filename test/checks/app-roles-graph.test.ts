// app-roles-graph: the app-only Graph token carries Mail.Send and User.Read.All.
import { checkTester } from './check-tester.js';

checkTester('app-roles-graph', {
  valid: [
    {
      name: 'the delegated profile needs no Graph application permission',
      inputs: { profile: 'delegated' },
      status: 'pass',
      code: 'ROLES_NOT_NEEDED',
    },
    { name: 'both roles consented', status: 'pass', code: 'ROLES_OK' },
  ],
  invalid: [
    // Graph still reads the handle: the checks that read the directory with an app-only Graph token still pass.
    {
      name: 'an opaque app-only Graph token: its roles cannot be read, Graph still accepts it',
      tenant: (t) => {
        t.tokenFormat = { graphAppOnly: 'opaque' };
      },
      status: 'warn',
      code: 'ROLES_UNREADABLE',
      verify: (r, run) => {
        if (r.evidence.jwt !== false) throw new Error(String(r.evidence.jwt));
        for (const id of ['user-account', 'user-license', 'admin-consent'])
          if (run.get(id)?.status !== 'pass') throw new Error(`${id}: ${run.get(id)?.code}`);
      },
    },
    { name: 'no admin consent at all', scenario: 'no-admin-consent', status: 'fail', code: 'ROLES_MISSING' },
    {
      name: 'an app with delegated permissions only',
      scenario: 'delegated-only-app',
      status: 'fail',
      code: 'ROLES_MISSING',
      verify: (r) => {
        if (!r.message.includes('Mail.Send')) throw new Error(r.message);
      },
    },
  ],
});
