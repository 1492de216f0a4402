// exchange-app-access: app-only IMAP/POP login proves New-ServicePrincipal and FullAccess were done right.
import { checkTester } from './check-tester.js';

checkTester('exchange-app-access', {
  valid: [
    { name: 'registered in Exchange with FullAccess', status: 'pass', code: 'APP_ACCESS_OK' },
    {
      name: 'over POP when only POP reading is chosen',
      inputs: { activities: ['read-pop'] },
      status: 'pass',
      code: 'APP_ACCESS_OK',
    },
  ],
  invalid: [
    {
      name: 'never registered in Exchange',
      scenario: 'exchange-sp-missing',
      status: 'fail',
      code: 'EXCHANGE_SP_NOT_REGISTERED',
    },
    {
      name: "registered with the app registration's object id",
      scenario: 'exchange-sp-wrong-object-id',
      status: 'fail',
      code: 'EXCHANGE_SP_NOT_REGISTERED',
    },
    {
      name: 'no FullAccess on the mailbox',
      scenario: 'no-mailbox-permission',
      status: 'fail',
      code: 'NO_MAILBOX_PERMISSION',
    },
    {
      name: 'IMAP disabled on the mailbox',
      scenario: 'imap-disabled',
      status: 'fail',
      code: 'IMAP_DISABLED_FOR_MAILBOX',
    },
    {
      name: 'POP disabled, reading over POP',
      scenario: 'pop-disabled',
      inputs: { activities: ['read-pop'] },
      status: 'fail',
      code: 'POP_DISABLED_FOR_MAILBOX',
    },
    // The login is still made; Exchange refuses it, and user-license's finding is the cause.
    {
      name: 'the user has no licence, so no mailbox',
      scenario: 'no-license',
      status: 'fail',
      code: 'NO_MAILBOX',
      verify: (r) => {
        if (r.causedBy !== 'user-license') throw new Error(String(r.causedBy));
      },
    },
    {
      name: 'a user the tenant does not have: nothing to open',
      scenario: 'user-not-found',
      status: 'skip',
      code: 'NO_USABLE_MAILBOX',
    },
    {
      name: 'IMAP.AccessAsApp not consented',
      scenario: 'missing-permission',
      status: 'fail',
      code: 'ROLES_MISSING',
      verify: (r) => {
        if (r.causedBy !== 'app-roles-exchange') throw new Error(String(r.causedBy));
      },
    },
    {
      name: 'sending only: no app-only reading',
      inputs: { activities: ['send-smtp'] },
      status: 'skip',
      code: 'NOT_NEEDED',
    },
    {
      name: "the delegated profile reads with the user's token only",
      inputs: { profile: 'delegated' },
      status: 'skip',
      code: 'NOT_IN_PROFILE',
    },
  ],
});
