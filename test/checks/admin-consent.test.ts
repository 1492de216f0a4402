// admin-consent: tenant-wide delegated grant and app role assignments for every permission needed.
import { checkTester } from './check-tester.js';

checkTester('admin-consent', {
  valid: [
    { name: 'everything consented', status: 'pass', code: 'CONSENT_OK' },
    // A disabled enterprise app still holds its consents: service-principal reports the switch, this check the grants.
    {
      name: 'the enterprise app is disabled, its consents are still read',
      tenant: (t, c) => {
        t.servicePrincipals.find((s) => s.appId === c.clientId)!.accountEnabled = false;
      },
      status: 'pass',
      code: 'CONSENT_OK',
      verify: (_r, run) => {
        if (run.get('service-principal')?.code !== 'SP_DISABLED')
          throw new Error(String(run.get('service-principal')?.code));
      },
    },
  ],
  invalid: [
    { name: 'no admin consent', scenario: 'no-admin-consent', status: 'fail', code: 'CONSENT_MISSING' },
    {
      name: 'SMTP.Send not consented',
      scenario: 'partial-consent',
      status: 'fail',
      code: 'CONSENT_MISSING',
      verify: (r) => {
        if (!r.message.includes('SMTP.Send (delegated)')) throw new Error(r.message);
      },
    },
    // It says itself what would let it run, rather than "depends on service-principal, which was skipped".
    {
      name: 'no directory reader',
      inputs: { adminClientId: null, adminClientSecret: null },
      status: 'skip',
      code: 'NEEDS_DIRECTORY_READER',
      verify: (r) => {
        if (r.skipReason !== 'needs-directory-reader') throw new Error(String(r.skipReason));
      },
    },
    {
      name: 'the app has no service principal',
      scenario: 'app-not-in-tenant',
      status: 'skip',
      code: 'NO_SERVICE_PRINCIPAL',
      verify: (r) => {
        if (r.causedBy !== 'service-principal' || r.skipReason !== 'dependency-failed')
          throw new Error(`${r.causedBy} ${r.skipReason}`);
      },
    },
  ],
});
