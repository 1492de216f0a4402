// app-roles-exchange: the app-only Exchange token carries IMAP.AccessAsApp / POP.AccessAsApp as the activities need.
import { checkTester } from './check-tester.js';

checkTester('app-roles-exchange', {
  valid: [
    { name: 'the delegated profile needs no Exchange application permission', inputs: { profile: 'delegated' }, status: 'pass', code: 'ROLES_NOT_NEEDED' },
    { name: 'both roles consented', status: 'pass', code: 'ROLES_OK' },
  ],
  invalid: [
    { name: 'IMAP.AccessAsApp and POP.AccessAsApp missing', scenario: 'missing-permission', status: 'fail', code: 'ROLES_MISSING' },
    { name: 'sending only: no Exchange application permission needed', inputs: { activities: ['send-smtp'] }, status: 'skip', code: 'NOT_NEEDED' },
  ],
});
