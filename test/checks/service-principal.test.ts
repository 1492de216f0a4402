// service-principal: the app's enterprise application exists, is enabled, and Exchange Online's is there too.
import { checkTester } from './check-tester.js';
import { EXCHANGE_APP_ID } from '../../src/emulator/model.js';

checkTester('service-principal', {
  valid: [{ name: 'an enabled enterprise application', status: 'pass', code: 'SP_OK' }],
  invalid: [
    // No registration either: the client id names no app of this tenant, which app-registration reports.
    {
      name: 'no enterprise application',
      scenario: 'app-not-in-tenant',
      status: 'fail',
      code: 'SP_NOT_FOUND',
      verify: (r) => {
        if (r.causedBy !== 'app-registration') throw new Error(String(r.causedBy));
      },
    },
    // A multi-tenant app registered elsewhere: its service principal is what is missing here.
    {
      name: 'the app registration exists but no service principal',
      status: 'fail',
      code: 'SP_NOT_FOUND',
      tenant: (t, c) => {
        t.servicePrincipals = t.servicePrincipals.filter((s) => s.appId !== c.clientId);
      },
      verify: (r) => {
        if (r.causedBy) throw new Error(r.causedBy);
      },
    },
    {
      name: 'disabled for sign-in',
      status: 'fail',
      code: 'SP_DISABLED',
      tenant: (t, c) => {
        t.servicePrincipals.find((s) => s.appId === c.clientId)!.accountEnabled = false;
      },
    },
    { name: 'user assignment required', scenario: 'assignment-required', status: 'warn', code: 'ASSIGNMENT_REQUIRED' },
    {
      name: 'a tenant without Office 365 Exchange Online',
      status: 'fail',
      code: 'EXCHANGE_RESOURCE_MISSING',
      tenant: (t) => {
        const sp = t.servicePrincipals.find((s) => s.appId === EXCHANGE_APP_ID)!;
        t.servicePrincipals = t.servicePrincipals.filter((s) => s !== sp);
        t.appRoleAssignments = t.appRoleAssignments.filter((a) => a.resourceId !== sp.id);
      },
    },
    {
      name: 'no directory reader',
      inputs: { adminClientId: null, adminClientSecret: null },
      status: 'skip',
      code: 'NEEDS_DIRECTORY_READER',
    },
  ],
});
