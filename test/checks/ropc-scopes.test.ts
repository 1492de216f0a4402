// ropc-scopes: the ROPC token fits Exchange (audience, scopes, user, refresh token).
import { checkTester } from './check-tester.js';

checkTester('ropc-scopes', {
  valid: [
    { name: 'an Exchange token with every scope and a refresh token', status: 'pass', code: 'TOKEN_FITS' },
    {
      name: 'reading over IMAP only needs IMAP.AccessAsUser.All',
      inputs: { activities: ['read-imap'] },
      status: 'pass',
      code: 'TOKEN_FITS',
    },
    // The refresh token is evidence, not a verdict: Entra returns one for the offline_access the tool always names.
    {
      name: 'the refresh token is recorded',
      status: 'pass',
      code: 'TOKEN_FITS',
      verify: (r) => {
        if (r.evidence.refreshToken !== true) throw new Error(String(r.evidence.refreshToken));
      },
    },
    // Entra may issue an access token the client cannot read (learn.microsoft.com/entra/identity-platform/access-tokens):
    // the token response's scope field still names what was granted.
    {
      name: 'an opaque token: judged from the token response',
      tenant: (t) => {
        t.tokenFormat = { exchangeDelegated: 'opaque' };
      },
      status: 'pass',
      code: 'TOKEN_FITS',
      verify: (r, run) => {
        if (r.evidence.jwt !== false || r.evidence.scopeSource !== 'token response')
          throw new Error(JSON.stringify(r.evidence));
        if (run.get('imap-login')?.code !== 'LOGIN_OK') throw new Error(String(run.get('imap-login')?.code));
      },
    },
  ],
  invalid: [
    // Entra issues only the consented scopes when the tenant allows a partial token (issue #12).
    {
      name: 'SMTP.Send not consented: a token without it',
      scenario: 'smtp-send-not-consented',
      status: 'fail',
      code: 'SCOPE_MISSING',
      verify: (r) => {
        if (r.causedBy !== 'admin-consent' || !r.message.includes('SMTP.Send'))
          throw new Error(`${r.message} ${r.causedBy}`);
      },
    },
    // Email as an alternate login ID: Entra finds the user by its proxy address and issues the token for its UPN.
    {
      name: 'signed in with the mail address as an alternate login ID',
      scenario: 'email-alternate-login-id',
      status: 'warn',
      code: 'UPN_MISMATCH',
      verify: (r, run) => {
        if (r.causedBy !== 'user-account' || r.evidence.upn !== 'connector@m365doctordemo.onmicrosoft.com')
          throw new Error(`${r.causedBy} ${String(r.evidence.upn)}`);
        // IMAP opens the mailbox named by its address; SMTP AUTH wants the token's UPN in user=.
        if (run.get('imap-login')?.status !== 'pass') throw new Error(String(run.get('imap-login')?.code));
        if (run.get('smtp-login')?.causedBy !== 'user-account')
          throw new Error(String(run.get('smtp-login')?.causedBy));
      },
    },
    // Nothing names the scopes: a warning, never a fail; Exchange still reads the token and the logins work.
    {
      name: 'an opaque token and no scope in the token response',
      tenant: (t) => {
        t.tokenFormat = { exchangeDelegated: 'opaque' };
        t.omitResponseScope = true;
      },
      status: 'warn',
      code: 'TOKEN_UNREADABLE',
      verify: (r, run) => {
        if (!/not a JWT/.test(r.message)) throw new Error(r.message);
        for (const id of ['imap-login', 'pop-login', 'smtp-login'])
          if (run.get(id)?.status !== 'pass') throw new Error(`${id}: ${run.get(id)?.code}`);
      },
    },
    // SMTP.Send not consented behind an opaque token: the SMTP login is refused, and not blamed on ropc-scopes.
    {
      name: 'an unreadable token without SMTP.Send: the refused SMTP login is not blamed on it',
      scenario: 'smtp-send-not-consented',
      tenant: (t) => {
        t.tokenFormat = { exchangeDelegated: 'opaque' };
        t.omitResponseScope = true;
      },
      status: 'warn',
      code: 'TOKEN_UNREADABLE',
      verify: (_r, run) => {
        const smtp = run.get('smtp-login');
        if (smtp?.code !== 'AUTH_REJECTED' || smtp.causedBy === 'ropc-scopes')
          throw new Error(`${smtp?.code} ${smtp?.causedBy}`);
        if (run.get('imap-login')?.code !== 'LOGIN_OK') throw new Error(String(run.get('imap-login')?.code));
      },
    },
    {
      name: 'the app-only profile never uses the password grant',
      inputs: { profile: 'app-only' },
      status: 'skip',
      code: 'NOT_IN_PROFILE',
    },
    // A connector asking for the Graph resource's scopes: Entra sets aud to Graph, and Exchange will refuse the token.
    {
      name: 'a token requested for Microsoft Graph',
      endpoints: { exchangeScopeHost: 'https://graph.microsoft.com' },
      status: 'fail',
      code: 'WRONG_TOKEN_AUDIENCE',
      verify: (r) => {
        if (!r.remediation?.includes('https://outlook.office.com/IMAP.AccessAsUser.All'))
          throw new Error(String(r.remediation));
      },
    },
  ],
});
