// admin-consent: tenant-wide delegated grant and app role assignments for every permission needed.
import { checkTester } from './check-tester.js';

checkTester('admin-consent', {
  valid: [
    { name: 'everything consented', status: 'pass', code: 'CONSENT_OK' },
  ],
  invalid: [
    { name: 'no admin consent', scenario: 'no-admin-consent', status: 'fail', code: 'CONSENT_MISSING' },
    { name: 'SMTP.Send not consented', scenario: 'partial-consent', status: 'fail', code: 'CONSENT_MISSING',
      verify: (r) => { if (!r.message.includes('SMTP.Send (delegated)')) throw new Error(r.message); } },
  ],
});
