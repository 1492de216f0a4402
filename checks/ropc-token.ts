// ropc-token: a password-grant (ROPC) token for the Exchange delegated scopes, in exactly one attempt.
import { advisory, advisoryText } from '../src/advisories.js';
import { defineCheck } from '../src/check.js';
import { entraFailure } from '../src/diagnose/entra-outcome.js';

export default defineCheck({
  meta: {
    id: 'ropc-token',
    title: 'Password-grant (ROPC) token',
    category: 'token',
    dependsOn: ['user-realm'],
    // Soft: without a client secret app-credentials skips and the public-client password grant still runs.
    after: ['app-credentials'],
    description: 'Requests the token the connector will use: the resource owner password credentials grant for the Exchange ' +
      'delegated scopes of the chosen activities, plus offline_access. It tries once only, so a wrong password never adds to a ' +
      'lockout. Every AADSTS answer is mapped to its cause and fix. Microsoft discourages ROPC and it cannot satisfy MFA: plan ' +
      'for app-only access where you can.',
    codes: {
      ROPC_OK: { message: 'Got a token for {username} with scopes {scope}.' },
      APP_CREDENTIALS_FAILED: { message: 'Not tried: app-credentials failed, and the password grant sends the same client secret.' },
    },
  },
  async run(ctx) {
    const app = ctx.upstream('app-credentials')?.status;
    if (app === 'fail' || app === 'error') return { status: 'skip', code: 'APP_CREDENTIALS_FAILED', skipReason: 'dependency-failed' };
    try {
      const token = await ctx.clients.tokens.ropc();
      return {
        status: 'pass', code: 'ROPC_OK',
        data: { username: ctx.config.username, scope: token.scope ?? String(token.claims.scp ?? '') },
        evidence: {
          aud: String(token.claims.aud ?? ''), scp: String(token.claims.scp ?? ''), upn: String(token.claims.upn ?? token.claims.unique_name ?? ''),
          refreshToken: token.hasRefreshToken, expiresOn: token.expiresOn ?? null,
          advisory: advisoryText(advisory('ropc-deprecated')),
        },
      };
    } catch (err) {
      return entraFailure(ctx, err);
    }
  },
});
