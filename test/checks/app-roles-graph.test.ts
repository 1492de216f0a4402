// app-roles-graph: the app-only Graph token carries Mail.Send and User.Read.All.
import { checkTester } from './check-tester.js';

checkTester('app-roles-graph', {
  valid: [
    { name: 'the delegated profile needs no Graph application permission', inputs: { profile: 'delegated' }, status: 'pass', code: 'ROLES_NOT_NEEDED' },
    { name: 'both roles consented', status: 'pass', code: 'ROLES_OK' },
  ],
  invalid: [
    { name: 'no admin consent at all', scenario: 'no-admin-consent', status: 'fail', code: 'ROLES_MISSING' },
    { name: 'an app with delegated permissions only', scenario: 'delegated-only-app', status: 'fail', code: 'ROLES_MISSING',
      verify: (r) => { if (!r.message.includes('Mail.Send')) throw new Error(r.message); } },
  ],
});
