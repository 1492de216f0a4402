// app-credentials: the client id exists in the tenant and its secret is valid (a client-credentials token).
import { defineCheck } from '../src/check.js';
import { missingInput, NO_INPUT } from '../src/diagnose/inputs.js';

export default defineCheck({
  meta: {
    id: 'app-credentials',
    title: 'App id and secret are valid',
    category: 'entra',
    dependsOn: ['tenant-discovery'],
    // An Entra refusal (AADSTS) is this check's finding: the runner reports it as fail with Entra's answer.
    entraRefusal: 'fail',
    description: 'Requests an app-only token with the client-credentials grant. Success proves the client id is an app in this ' +
      'tenant, its enterprise application is enabled, and the client secret is right and unexpired.',
    codes: {
      APP_CREDENTIALS_OK: { message: 'App {clientId} signed in with its secret (service principal {spObjectId}).' },
      NO_SECRET: { message: 'No client secret given: nothing to test.', remediation: 'Give the secret if the connector uses one.' },
      NO_INPUT,
    },
  },
  // The token request goes out beside discovery; the broker keeps its answer only if discovery names that endpoint.
  prepare(ctx) { ctx.clients.tokens.prefetchAppOnly?.('graph'); },
  async run(ctx) {
    const noInput = missingInput(ctx, ['clientId']);
    if (noInput) return noInput;
    if (!ctx.config.clientSecret) return { status: 'skip', code: 'NO_SECRET', skipReason: 'not-applicable' };
    const token = await ctx.clients.tokens.appOnly('graph');
    const spObjectId = String(token.claims.oid ?? '');
    return {
      status: 'pass', code: 'APP_CREDENTIALS_OK',
      data: { clientId: ctx.config.clientId, spObjectId },
      evidence: { appid: String(token.claims.appid ?? ''), servicePrincipalObjectId: spObjectId, tid: String(token.claims.tid ?? '') },
    };
  },
});
