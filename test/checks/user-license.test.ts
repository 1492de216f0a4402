// user-license: the user holds an enabled Exchange Online plan, ideally Microsoft 365 Business Standard.
import { checkTester } from './check-tester.js';
import type { TenantModel } from '../../src/emulator/model.js';

const user = (t: TenantModel) => t.users[0];

checkTester('user-license', {
  valid: [{ name: 'Business Standard', status: 'pass', code: 'LICENSE_OK' }],
  invalid: [
    { name: 'Office 365 E3', scenario: 'not-business-standard', status: 'warn', code: 'LICENSE_NOT_BUSINESS_STANDARD' },
    {
      name: 'no licence',
      scenario: 'no-license',
      status: 'fail',
      code: 'NO_EXCHANGE_LICENSE',
      verify: (r) => {
        if (r.causedBy) throw new Error(r.causedBy);
      },
    },
    // A guest's mailbox is in its home tenant: the fix is a member account (user-account), not a licence here.
    {
      name: 'a guest has no licence here',
      scenario: 'guest-user',
      status: 'fail',
      code: 'NO_EXCHANGE_LICENSE',
      verify: (r) => {
        if (r.causedBy !== 'user-account') throw new Error(String(r.causedBy));
      },
    },
    {
      name: 'the Exchange plan switched off for the user',
      status: 'fail',
      code: 'EXCHANGE_PLAN_DISABLED',
      tenant: (t) => {
        const sku = t.subscribedSkus[0];
        user(t).assignedLicenses = [
          {
            skuId: sku.skuId,
            disabledPlans: sku.servicePlans
              .filter((p) => p.servicePlanName.startsWith('EXCHANGE'))
              .map((p) => p.servicePlanId),
          },
        ];
        user(t).mailbox = null;
      },
    },
    {
      name: 'a suspended subscription',
      status: 'fail',
      code: 'SUBSCRIPTION_SUSPENDED',
      tenant: (t) => {
        t.subscribedSkus[0].capabilityStatus = 'Suspended';
      },
    },
    // Without a directory reader the SKU table is built in; a SKU it does not know cannot be judged.
    {
      name: 'a licence the built-in table does not know, and no directory reader',
      status: 'warn',
      code: 'UNKNOWN_SKU',
      inputs: { adminClientId: null, adminClientSecret: null },
      tenant: (t) => {
        user(t).assignedLicenses = [{ skuId: '0c0ffee0-0000-4000-8000-00000000beef', disabledPlans: [] }];
      },
    },
    { name: 'a user the tenant does not have', scenario: 'user-not-found', status: 'skip', code: 'NO_USER' },
    { name: 'no user name given', inputs: { username: null }, status: 'skip', code: 'NO_INPUT' },
    {
      name: 'no User.Read.All and no directory reader',
      scenario: 'no-admin-consent',
      inputs: { adminClientId: null, adminClientSecret: null },
      status: 'skip',
      code: 'NO_USER_READER',
    },
  ],
});
