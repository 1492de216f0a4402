// ropc-scopes: the ROPC token fits Exchange (audience, scopes, user, refresh token).
import { checkTester } from './check-tester.js';

checkTester('ropc-scopes', {
  valid: [
    { name: 'an Exchange token with every scope and a refresh token', status: 'pass', code: 'TOKEN_FITS' },
    { name: 'reading over IMAP only needs IMAP.AccessAsUser.All', inputs: { activities: ['read-imap'] }, status: 'pass', code: 'TOKEN_FITS' },
  ],
  invalid: [
    // Entra issues only the consented scopes when the tenant allows a partial token (issue #12).
    { name: 'SMTP.Send not consented: a token without it', scenario: 'smtp-send-not-consented', status: 'fail', code: 'SCOPE_MISSING',
      verify: (r) => { if (r.causedBy !== 'admin-consent' || !r.message.includes('SMTP.Send')) throw new Error(`${r.message} ${r.causedBy}`); } },
    { name: 'the app-only profile never uses the password grant', inputs: { profile: 'app-only' }, status: 'skip', code: 'NOT_IN_PROFILE' },
    // A connector asking for the Graph resource's scopes: Entra sets aud to Graph, and Exchange will refuse the token.
    { name: 'a token requested for Microsoft Graph', endpoints: { exchangeScopeHost: 'https://graph.microsoft.com' }, status: 'fail', code: 'WRONG_TOKEN_AUDIENCE',
      verify: (r) => { if (!r.remediation?.includes('https://outlook.office.com/IMAP.AccessAsUser.All')) throw new Error(String(r.remediation)); } },
  ],
});
