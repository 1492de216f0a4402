// Exchange's judgement of an XOAUTH2 login, case by case, without sockets.
import { describe, expect, it } from 'vitest';
import { authorizeXoauth2, type MailProtocol, type Verdict } from '../../src/emulator/exchange/authorize.js';
import { decodeXoauth2, encodeXoauth2 } from '../../src/emulator/exchange/xoauth2.js';
import type { TenantModel } from '../../src/emulator/model.js';
import {
  APP_ID,
  DELEGATE,
  DELEGATE_ID,
  MAILBOX,
  SHARED,
  SP_OBJECT_ID,
  TokenFactory,
  makeSigningKeys,
  makeTenant,
} from './exchange-fixtures.js';

const keys = makeSigningKeys();
const tokens = new TokenFactory(keys.privateKey);

function judge(token: string, protocol: MailProtocol, change?: (t: TenantModel) => void, user = MAILBOX): Verdict {
  const tenant = makeTenant();
  change?.(tenant);
  return authorizeXoauth2(encodeXoauth2(user, token), protocol, tenant, keys.publicKey);
}
const reasonOf = (v: Verdict) =>
  v.outcome === 'rejected' ? v.reason : v.outcome === 'authenticated' && !v.connected ? v.reason : v.outcome;

describe('XOAUTH2 encoding', () => {
  it("matches Microsoft's documented example", () => {
    expect(encodeXoauth2('test@contoso.onmicrosoft.com', 'EwBAAl3BAAUFFpUAo7J3Ve0bjLBWZWCclRC3EoAA')).toBe(
      'dXNlcj10ZXN0QGNvbnRvc28ub25taWNyb3NvZnQuY29tAWF1dGg9QmVhcmVyIEV3QkFBbDNCQUFVRkZwVUFvN0ozVmUwYmpMQldaV0NjbFJDM0VvQUEBAQ==',
    );
  });

  it.each([
    ['not base64', '%%%'],
    ['no auth field', Buffer.from('user=a@b\x01\x01').toString('base64')],
    ['no terminator', Buffer.from('user=a@b\x01auth=Bearer x').toString('base64')],
    ['other scheme', Buffer.from('user=a@b\x01auth=Basic x\x01\x01').toString('base64')],
  ])('rejects %s', (_name, b64) => {
    expect(decodeXoauth2(b64)).toBeUndefined();
  });
});

describe('delegated tokens', () => {
  it.each<MailProtocol>(['imap', 'pop', 'smtp'])('authenticates the owner for %s', (protocol) => {
    expect(judge(tokens.delegated(), protocol)).toEqual({
      outcome: 'authenticated',
      user: MAILBOX,
      mailbox: MAILBOX,
      kind: 'delegated',
      connected: true,
    });
  });

  it('finds the caller by oid, upn, unique_name or preferred_username', () => {
    for (const claims of [
      { upn: undefined },
      { oid: undefined },
      { oid: undefined, upn: undefined, unique_name: MAILBOX },
      { oid: undefined, upn: undefined, preferred_username: MAILBOX },
    ]) {
      expect(judge(tokens.delegated(claims), 'imap').outcome).toBe('authenticated');
    }
    expect(reasonOf(judge(tokens.delegated({ oid: undefined, upn: undefined }), 'imap'))).toBe('unknown-user');
  });

  it('matches the mailbox name without regard to case', () => {
    expect(judge(tokens.delegated(), 'imap', undefined, MAILBOX.toUpperCase()).outcome).toBe('authenticated');
  });

  it('accepts every Exchange audience and an array aud', () => {
    for (const aud of [
      'https://outlook.office.com',
      'https://outlook.office365.com/',
      '00000002-0000-0ff1-ce00-000000000000',
      ['x', 'https://outlook.office365.com'],
    ]) {
      expect(judge(tokens.delegated({ aud }), 'imap').outcome).toBe('authenticated');
    }
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['expired', { exp: Math.floor(Date.now() / 1000) - 600 }, 'expired'],
    ['not yet valid', { nbf: Math.floor(Date.now() / 1000) + 3600 }, 'not-yet-valid'],
    ['Graph audience', { aud: 'https://graph.microsoft.com' }, 'wrong-audience'],
    ['other tenant', { tid: '99999999-9999-9999-9999-999999999999' }, 'wrong-tenant'],
    ['scope of another protocol', { scp: 'POP.AccessAsUser.All' }, 'missing-scope'],
    [
      'unknown caller',
      { upn: 'ghost@m365doctordemo.onmicrosoft.com', oid: '00000000-0000-0000-0000-000000000001' },
      'unknown-user',
    ],
    ['another user without FullAccess', { upn: DELEGATE, oid: DELEGATE_ID }, 'no-mailbox-access'],
  ])('rejects a token that is %s', (_name, claims, reason) => {
    expect(reasonOf(judge(tokens.delegated(claims), 'imap'))).toBe(reason);
  });

  it('rejects a token signed by another key and a token that is no JWT', () => {
    expect(reasonOf(judge(new TokenFactory(makeSigningKeys().privateKey).delegated(), 'imap'))).toBe('bad-signature');
    expect(reasonOf(judge('opaque-token', 'imap'))).toBe('malformed-token');
    expect(reasonOf(authorizeXoauth2('!!', 'imap', makeTenant(), keys.publicKey))).toBe('malformed-sasl');
  });

  it('lets a delegate with FullAccess into a shared mailbox', () => {
    expect(judge(tokens.delegated({ upn: DELEGATE, oid: DELEGATE_ID }), 'imap', undefined, SHARED)).toMatchObject({
      outcome: 'authenticated',
      mailbox: SHARED,
      connected: true,
    });
  });

  it("opens the mailbox by any of its addresses over IMAP, but SMTP AUTH wants the token's UPN in user=", () => {
    const alias = (t: TenantModel) => {
      t.users[0].proxyAddresses = [`SMTP:${MAILBOX}`, 'smtp:alias@example.com'];
    };
    expect(judge(tokens.delegated(), 'imap', alias, 'alias@example.com')).toMatchObject({
      outcome: 'authenticated',
      connected: true,
    });
    expect(reasonOf(judge(tokens.delegated(), 'smtp', alias, 'alias@example.com'))).toBe('user-not-token-upn');
    expect(judge(tokens.delegated(), 'smtp', alias, MAILBOX).outcome).toBe('authenticated');
  });

  it('rejects a user without a mailbox (no licence)', () => {
    expect(
      reasonOf(
        judge(tokens.delegated(), 'imap', (t) => {
          t.users[0].mailbox = null;
        }),
      ),
    ).toBe('mailbox-not-found');
  });

  it('authenticates but does not connect when the protocol is disabled on the mailbox', () => {
    expect(
      reasonOf(
        judge(tokens.delegated(), 'imap', (t) => {
          t.users[0].mailbox!.imapEnabled = false;
        }),
      ),
    ).toBe('protocol-disabled');
    expect(
      reasonOf(
        judge(tokens.delegated(), 'pop', (t) => {
          t.users[0].mailbox!.popEnabled = false;
        }),
      ),
    ).toBe('protocol-disabled');
    expect(
      judge(tokens.delegated(), 'pop', (t) => {
        t.users[0].mailbox!.imapEnabled = false;
      }),
    ).toMatchObject({ connected: true });
  });
});

describe('app-only tokens', () => {
  it.each<MailProtocol>(['imap', 'pop', 'smtp'])(
    'authenticates a registered app with FullAccess for %s',
    (protocol) => {
      expect(judge(tokens.appOnly(), protocol)).toMatchObject({
        outcome: 'authenticated',
        kind: 'app-only',
        connected: true,
      });
    },
  );

  it('needs the protocol role', () => {
    expect(reasonOf(judge(tokens.appOnly({ roles: ['POP.AccessAsApp'] }), 'imap'))).toBe('missing-role');
    expect(reasonOf(judge(tokens.appOnly({ roles: ['IMAP.AccessAsApp'] }), 'smtp'))).toBe('missing-role');
    expect(reasonOf(judge(tokens.appOnly({ roles: ['full_access_as_app'] }), 'imap'))).toBe('missing-role');
    expect(reasonOf(judge(tokens.appOnly({ roles: undefined }), 'imap'))).toBe('no-permission-claims');
  });

  it("rejects an app not registered in Exchange, or registered with the app registration's object id", () => {
    expect(
      reasonOf(
        judge(tokens.appOnly(), 'imap', (t) => {
          t.exchange.servicePrincipals = [];
        }),
      ),
    ).toBe('app-not-registered');
    expect(
      reasonOf(
        judge(tokens.appOnly(), 'pop', (t) => {
          t.exchange.servicePrincipals[0].objectId = t.applications[0].id;
        }),
      ),
    ).toBe('app-not-registered');
    expect(
      reasonOf(
        judge(tokens.appOnly(), 'imap', (t) => {
          t.servicePrincipals = [];
        }),
      ),
    ).toBe('app-not-registered');
  });

  it('authenticates but does not connect without FullAccess', () => {
    const noAccess = (t: TenantModel) => {
      t.exchange.mailboxPermissions = t.exchange.mailboxPermissions.filter((p) => p.principal !== SP_OBJECT_ID);
    };
    expect(reasonOf(judge(tokens.appOnly(), 'imap', noAccess))).toBe('no-full-access');
    expect(reasonOf(judge(tokens.appOnly(), 'pop', noAccess))).toBe('no-full-access');
  });
});

describe('app-only SMTP (SMTP.SendAsApp)', () => {
  const noAccess = (t: TenantModel) => {
    t.exchange.mailboxPermissions = t.exchange.mailboxPermissions.filter((p) => p.principal !== SP_OBJECT_ID);
  };
  const rbac =
    (mailboxes: string[], app = APP_ID) =>
    (t: TenantModel) => {
      noAccess(t);
      t.exchange.managementScopes = [{ name: 'Connector mailboxes', mailboxes }];
      t.exchange.appRoleAssignments = [
        { name: 'Connector SMTP', role: 'Application SMTP.SendAsApp', app, customResourceScope: 'Connector mailboxes' },
      ];
    };
  const noRole = { roles: undefined, idtyp: 'app' };

  it('authenticates an app with FullAccess or Send As; without either, AUTH succeeds and the submission fails', () => {
    expect(judge(tokens.appOnly(), 'smtp')).toMatchObject({
      outcome: 'authenticated',
      kind: 'app-only',
      connected: true,
    });
    expect(reasonOf(judge(tokens.appOnly(), 'smtp', noAccess))).toBe('no-send-permission');
    const sendAs = (t: TenantModel) => {
      noAccess(t);
      t.exchange.recipientPermissions = [{ mailbox: MAILBOX, trustee: SP_OBJECT_ID, accessRights: ['SendAs'] }];
    };
    expect(judge(tokens.appOnly(), 'smtp', sendAs)).toMatchObject({ outcome: 'authenticated', connected: true });
    // Send As is no right to read: IMAP still needs FullAccess.
    expect(reasonOf(judge(tokens.appOnly(), 'imap', sendAs))).toBe('no-full-access');
  });

  it('takes an RBAC for Applications assignment whose scope holds the mailbox, by appId or service principal id, with or without the role claim', () => {
    expect(judge(tokens.appOnly(), 'smtp', rbac([MAILBOX]))).toMatchObject({
      outcome: 'authenticated',
      connected: true,
    });
    expect(judge(tokens.appOnly(), 'smtp', rbac([MAILBOX], SP_OBJECT_ID))).toMatchObject({
      outcome: 'authenticated',
      connected: true,
    });
    expect(judge(tokens.appOnly(noRole), 'smtp', rbac([MAILBOX]))).toMatchObject({
      outcome: 'authenticated',
      connected: true,
    });
    // RBAC for Applications here covers SMTP only.
    expect(reasonOf(judge(tokens.appOnly(noRole), 'imap', rbac([MAILBOX])))).toBe('missing-role');
  });

  it('refuses the scope that leaves the mailbox out as if there were no assignment', () => {
    expect(reasonOf(judge(tokens.appOnly(), 'smtp', rbac([SHARED])))).toBe('no-send-permission');
    expect(reasonOf(judge(tokens.appOnly(noRole), 'smtp', rbac([SHARED])))).toBe('missing-role');
  });

  it("needs the Exchange registration under the enterprise app's object id for RBAC too", () => {
    const wrongId = (t: TenantModel) => {
      rbac([MAILBOX])(t);
      t.exchange.servicePrincipals[0].objectId = t.applications[0].id;
    };
    expect(reasonOf(judge(tokens.appOnly(), 'smtp', wrongId))).toBe('app-not-registered');
    expect(reasonOf(judge(tokens.appOnly(noRole), 'smtp', wrongId))).toBe('missing-role');
  });
});

describe('SMTP AUTH switches', () => {
  it('follow the tenant when the mailbox value is null, and the mailbox value wins otherwise', () => {
    const tenantOff = (t: TenantModel) => {
      t.exchange.smtpClientAuthenticationDisabled = true;
    };
    expect(judge(tokens.delegated(), 'smtp', tenantOff)).toEqual({
      outcome: 'smtp-auth-disabled',
      level: 'Tenant',
      user: MAILBOX,
    });
    expect(
      judge(tokens.delegated(), 'smtp', (t) => {
        tenantOff(t);
        t.users[0].mailbox!.smtpClientAuthenticationDisabled = false;
      }).outcome,
    ).toBe('authenticated');
    expect(
      judge(tokens.delegated(), 'smtp', (t) => {
        t.users[0].mailbox!.smtpClientAuthenticationDisabled = true;
      }),
    ).toEqual({ outcome: 'smtp-auth-disabled', level: 'Mailbox', user: MAILBOX });
    expect(judge(tokens.delegated(), 'imap', tenantOff).outcome).toBe('authenticated');
  });

  it('judge the token first: a bad token is a bad token even when SMTP AUTH is off', () => {
    expect(
      reasonOf(
        judge(tokens.delegated({ aud: 'https://graph.microsoft.com' }), 'smtp', (t) => {
          t.exchange.smtpClientAuthenticationDisabled = true;
        }),
      ),
    ).toBe('wrong-audience');
  });
});
