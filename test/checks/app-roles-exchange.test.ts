// app-roles-exchange: the app-only Exchange token carries IMAP.AccessAsApp / POP.AccessAsApp as the activities need.
import { expect } from 'vitest';
import type { CheckResult } from '../../src/core/result.js';
import type { TenantModel } from '../../src/emulator/model.js';
import { checkTester } from './check-tester.js';

// Entra may issue an access token the client cannot read (learn.microsoft.com/entra/identity-platform/access-tokens).
const opaqueAppToken = (t: TenantModel) => {
  t.tokenFormat = { exchangeAppOnly: 'opaque' };
};
const verdict = (r: CheckResult | undefined) => `${r?.status}/${r?.code}${r?.causedBy ? ` <- ${r.causedBy}` : ''}`;

checkTester('app-roles-exchange', {
  valid: [
    {
      name: 'the delegated profile needs no Exchange application permission',
      inputs: { profile: 'delegated' },
      status: 'pass',
      code: 'ROLES_NOT_NEEDED',
    },
    { name: 'both roles consented', status: 'pass', code: 'ROLES_OK' },
    {
      name: 'app-only: SMTP.SendAsApp consented with the reading roles',
      inputs: { profile: 'app-only' },
      scenario: 'app-only-ready',
      status: 'pass',
      code: 'ROLES_OK',
      verify: (r) => expect(r.message).toContain('SMTP.SendAsApp'),
    },
    // RBAC for Applications grants sending in Exchange: a token without SMTP.SendAsApp is no failure, smtp-login decides.
    {
      name: 'app-only, RBAC for Applications: SMTP.SendAsApp not in the token, reading roles judged',
      inputs: { profile: 'app-only' },
      scenario: 'app-only-rbac-scoped',
      status: 'pass',
      code: 'ROLES_OK_SEND_BY_LOGIN',
      verify: (r, run) => {
        expect(r.message).toContain('smtp-login');
        expect(run.get('smtp-login')?.code).toBe('SMTP_OK');
      },
    },
  ],
  invalid: [
    {
      name: 'IMAP.AccessAsApp and POP.AccessAsApp missing',
      scenario: 'missing-permission',
      status: 'fail',
      code: 'ROLES_MISSING',
    },
    // The roles cannot be read, but Exchange still reads the token: the app-only logins work.
    {
      name: 'an opaque app-only token: its roles cannot be read, the logins still work',
      inputs: { profile: 'app-only' },
      tenant: opaqueAppToken,
      status: 'warn',
      code: 'ROLES_UNREADABLE',
      verify: (r, run) => {
        if (r.evidence.jwt !== false) throw new Error(String(r.evidence.jwt));
        for (const id of ['imap-login', 'pop-login'])
          if (verdict(run.get(id)) !== 'pass/LOGIN_OK') throw new Error(`${id}: ${verdict(run.get(id))}`);
      },
    },
    // An opaque token without the roles: Exchange refuses the logins, and nothing may blame that on what could not be read
    // nor on the Exchange registration (only a readable token holding the role points there).
    {
      name: 'an opaque app-only token without the roles: unreadable, and the refused logins are not blamed on it',
      scenario: 'missing-permission',
      inputs: { profile: 'app-only' },
      tenant: opaqueAppToken,
      status: 'warn',
      code: 'ROLES_UNREADABLE',
      verify: (_r, run) => {
        for (const id of ['imap-login', 'pop-login'])
          if (verdict(run.get(id)) !== 'fail/AUTH_REJECTED') throw new Error(`${id}: ${verdict(run.get(id))}`);
      },
    },
    {
      name: 'sending only: no Exchange application permission needed',
      inputs: { activities: ['send-smtp'] },
      status: 'skip',
      code: 'NOT_NEEDED',
    },
    {
      name: 'app-only, sending only, RBAC for Applications: the token alone cannot decide',
      inputs: { profile: 'app-only', activities: ['send-smtp'] },
      scenario: 'app-only-rbac-scoped',
      status: 'skip',
      code: 'SEND_ROLE_BY_LOGIN',
      verify: (_r, run) => expect(run.get('smtp-login')?.code).toBe('SMTP_OK'),
    },
    {
      name: 'app-only: IMAP.AccessAsApp missing is still failed while SMTP.SendAsApp is left to the login',
      inputs: { profile: 'app-only' },
      scenario: 'missing-permission',
      status: 'fail',
      code: 'ROLES_MISSING',
      verify: (r) => expect(r.message).not.toContain('SMTP.SendAsApp'),
    },
  ],
});
