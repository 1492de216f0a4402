// ropc-scopes: the ROPC token fits Exchange (audience, scopes, user, refresh token).
import { checkTester } from './check-tester.js';

checkTester('ropc-scopes', {
  valid: [
    { name: 'an Exchange token with every scope and a refresh token', status: 'pass', code: 'TOKEN_FITS' },
    { name: 'reading over IMAP only needs IMAP.AccessAsUser.All', inputs: { activities: ['read-imap'] }, status: 'pass', code: 'TOKEN_FITS' },
    // The refresh token is evidence, not a verdict: Entra returns one for the offline_access the tool always names.
    { name: 'the refresh token is recorded', status: 'pass', code: 'TOKEN_FITS',
      verify: (r) => { if (r.evidence.refreshToken !== true) throw new Error(String(r.evidence.refreshToken)); } },
  ],
  invalid: [
    // Entra issues only the consented scopes when the tenant allows a partial token (issue #12).
    { name: 'SMTP.Send not consented: a token without it', scenario: 'smtp-send-not-consented', status: 'fail', code: 'SCOPE_MISSING',
      verify: (r) => { if (r.causedBy !== 'admin-consent' || !r.message.includes('SMTP.Send')) throw new Error(`${r.message} ${r.causedBy}`); } },
    // Email as an alternate login ID: Entra finds the user by its proxy address and issues the token for its UPN.
    { name: 'signed in with the mail address as an alternate login ID', scenario: 'email-alternate-login-id', status: 'warn', code: 'UPN_MISMATCH',
      verify: (r, run) => {
        if (r.causedBy !== 'user-account' || r.evidence.upn !== 'connector@m365doctordemo.onmicrosoft.com') throw new Error(`${r.causedBy} ${String(r.evidence.upn)}`);
        // IMAP opens the mailbox named by its address; SMTP AUTH wants the token's UPN in user=.
        if (run.get('imap-login')?.status !== 'pass') throw new Error(String(run.get('imap-login')?.code));
        if (run.get('smtp-login')?.causedBy !== 'user-account') throw new Error(String(run.get('smtp-login')?.causedBy));
      } },
    { name: 'the app-only profile never uses the password grant', inputs: { profile: 'app-only' }, status: 'skip', code: 'NOT_IN_PROFILE' },
    // A connector asking for the Graph resource's scopes: Entra sets aud to Graph, and Exchange will refuse the token.
    { name: 'a token requested for Microsoft Graph', endpoints: { exchangeScopeHost: 'https://graph.microsoft.com' }, status: 'fail', code: 'WRONG_TOKEN_AUDIENCE',
      verify: (r) => { if (!r.remediation?.includes('https://outlook.office.com/IMAP.AccessAsUser.All')) throw new Error(String(r.remediation)); } },
  ],
});
