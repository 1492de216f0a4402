// smtp-send: only with --send-test-mail, one message from the mailbox to itself.
import { checkTester } from './check-tester.js';
import type { TenantModel } from '../../src/emulator/model.js';

const APP_ONLY_SEND = { profile: 'app-only', sendTestMail: true } as const;

/** The connector app's rights on the mailbox replaced by `grant` (its FullAccess removed). */
function onlyRight(grant: (t: TenantModel, spId: string, mailbox: string) => void) {
  return (t: TenantModel): void => {
    const spId = t.exchange.servicePrincipals[0].objectId;
    t.exchange.mailboxPermissions = t.exchange.mailboxPermissions.filter((p) => p.principal !== spId);
    grant(t, spId, t.users[0].userPrincipalName);
  };
}

checkTester('smtp-send', {
  valid: [
    { name: 'the test message accepted', inputs: { sendTestMail: true }, status: 'pass', code: 'TEST_MAIL_SENT' },
    {
      name: 'app-only: FullAccess on the mailbox',
      scenario: 'app-only-ready',
      inputs: APP_ONLY_SEND,
      status: 'pass',
      code: 'TEST_MAIL_SENT',
      verify: (r) => {
        if (r.evidence.mailboxPermission !== 'proven') throw new Error(JSON.stringify(r.evidence));
      },
    },
    {
      name: 'app-only: Send As instead of FullAccess',
      scenario: 'app-only-ready',
      inputs: APP_ONLY_SEND,
      status: 'pass',
      code: 'TEST_MAIL_SENT',
      tenant: onlyRight((t, spId, mailbox) => {
        t.exchange.recipientPermissions = [{ mailbox, trustee: spId, accessRights: ['SendAs'] }];
      }),
    },
    {
      name: 'app-only: an RBAC for Applications scope that holds the mailbox',
      scenario: 'app-only-ready',
      inputs: APP_ONLY_SEND,
      status: 'pass',
      code: 'TEST_MAIL_SENT',
      tenant: onlyRight((t, _spId, mailbox) => {
        t.exchange.managementScopes = [{ name: 'Connector mailboxes', mailboxes: [mailbox] }];
        t.exchange.appRoleAssignments = [
          {
            name: 'Connector SMTP',
            role: 'Application SMTP.SendAsApp',
            app: t.exchange.servicePrincipals[0].appId,
            customResourceScope: 'Connector mailboxes',
          },
        ];
      }),
    },
  ],
  invalid: [
    { name: 'without --send-test-mail nothing is written', status: 'skip', code: 'NEEDS_FLAG' },
    // Exchange took the app's AUTH and refuses at submission: 430 4.2.0 STOREDRV mailbox logon failure.
    {
      name: 'app-only: no FullAccess, Send As or RBAC scope on the mailbox',
      scenario: 'app-only-smtp-no-send-as',
      inputs: APP_ONLY_SEND,
      status: 'fail',
      code: 'APP_SEND_DENIED',
      verify: (r) => {
        if (!r.message.includes('430 4.2.0 STOREDRV') || r.evidence.mailboxPermission !== 'denied')
          throw new Error(r.message);
      },
    },
    {
      name: 'app-only: the RBAC for Applications scope leaves the mailbox out',
      scenario: 'app-only-smtp-rbac-out-of-scope',
      inputs: APP_ONLY_SEND,
      status: 'fail',
      code: 'APP_SEND_DENIED',
      verify: (r) => {
        if (!r.remediation?.includes('Test-ServicePrincipalAuthorization')) throw new Error(String(r.remediation));
      },
    },
    {
      name: 'a sender on the restricted entities list',
      inputs: { sendTestMail: true },
      status: 'fail',
      code: 'SEND_REJECTED',
      tenant: (t) => {
        t.exchange.restrictedSenders = [t.users[0].userPrincipalName];
      },
      verify: (r) => {
        if (!r.message.includes('5.1.8')) throw new Error(r.message);
      },
    },
    // Exchange submits only as an address of the mailbox: the UPN is none, so the store refuses at the end of DATA.
    {
      name: 'sent from a UPN that is not an address of the mailbox',
      scenario: 'upn-not-mail-address',
      inputs: { sendTestMail: true },
      status: 'fail',
      code: 'SEND_AS_DENIED',
      verify: (r) => {
        if (!r.message.includes('554 5.2.252 SendAsDenied') || r.causedBy !== 'user-account')
          throw new Error(`${r.message} ${r.causedBy}`);
        if (!r.remediation?.includes('its primary address is mail.connector@m365doctordemo.onmicrosoft.com'))
          throw new Error(String(r.remediation));
      },
    },
  ],
});
