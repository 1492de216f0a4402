// ropc-scopes: the ROPC token fits Exchange (audience, scopes, user, refresh token).
import { checkTester } from './check-tester.js';

checkTester('ropc-scopes', {
  valid: [
    { name: 'an Exchange token with every scope and a refresh token', status: 'pass', code: 'TOKEN_FITS' },
    { name: 'reading over IMAP only needs IMAP.AccessAsUser.All', inputs: { activities: ['read-imap'] }, status: 'pass', code: 'TOKEN_FITS' },
  ],
  // WRONG_TOKEN_AUDIENCE, SCOPE_MISSING, UPN_MISMATCH and NO_REFRESH_TOKEN have no case: Entra answers the tool's own
  // request (named Exchange scopes + offline_access, as the user) with all of them or an AADSTS error (65001), so no
  // emulated tenant yields such a token. See codes-coverage.test.ts.
  invalid: [],
});
