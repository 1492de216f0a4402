// app-credentials: the client id exists in the tenant and its secret is valid (a client-credentials token).
import { defineCheck } from '../src/core/check.js';
import { entraFailure, explainRefusal, type RefusalCauses } from '../src/diagnose/entra-outcome.js';
import { missingInput, NO_INPUT } from '../src/diagnose/inputs.js';

export default defineCheck({
  meta: {
    id: 'app-credentials',
    title: 'App id and secret are valid',
    category: 'entra',
    dependsOn: ['tenant-discovery'],
    // Read only to explain a refusal: the registration's own finding (secret expired, no such app) is the cause.
    consults: ['app-registration'],
    description:
      'Requests an app-only token with the client-credentials grant. Success proves the client id is an app in this ' +
      'tenant, its enterprise application is enabled, and the client secret is right and unexpired.',
    codes: {
      APP_CREDENTIALS_OK: { message: 'App {clientId} signed in with its secret (service principal {spObjectId}).' },
      NO_SECRET: {
        message: 'No client secret given: nothing to test.',
        remediation: 'Give the secret if the connector uses one.',
      },
      NO_INPUT,
    },
  },
  // The token request goes out beside discovery; the broker keeps its answer only if discovery names that endpoint.
  prepare(ctx) {
    ctx.clients.tokens.prefetchAppOnly?.('graph');
  },
  async run(ctx) {
    const noInput = missingInput(ctx, ['clientId']);
    if (noInput) return noInput;
    if (!ctx.config.clientSecret) return { status: 'skip', code: 'NO_SECRET', skipReason: 'not-applicable' };
    try {
      const token = await ctx.clients.tokens.appOnly('graph');
      const spObjectId = String(token.claims.oid ?? '');
      return {
        status: 'pass',
        code: 'APP_CREDENTIALS_OK',
        data: { clientId: ctx.config.clientId, spObjectId },
        evidence: {
          appid: String(token.claims.appid ?? ''),
          servicePrincipalObjectId: spObjectId,
          tid: String(token.claims.tid ?? ''),
        },
      };
    } catch (err) {
      const outcome = entraFailure(err);
      const cause = await explainRefusal(ctx, outcome.code, EXPLAINED_BY);
      return cause ? { ...outcome, causedBy: cause } : outcome;
    }
  },
});

/** Entra's refusals of the client, and the app-registration finding that is the same cause seen in the directory. */
const EXPLAINED_BY: RefusalCauses = {
  AADSTS7000222: { check: 'app-registration', when: (r) => r.code === 'SECRET_EXPIRED' },
  AADSTS700016: { check: 'app-registration', when: (r) => r.code === 'APP_NOT_FOUND' },
};
