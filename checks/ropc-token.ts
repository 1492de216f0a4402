// ropc-token: a password-grant (ROPC) token for the Exchange delegated scopes, in exactly one attempt.
import { advisory, advisoryText } from '../src/m365/advisories.js';
import { readDelegatedToken } from '../src/auth/claims.js';
import { defineCheck } from '../src/core/check.js';
import type { CheckResult } from '../src/core/result.js';
import { entraFailure, explainRefusal, type RefusalCauses } from '../src/diagnose/entra-outcome.js';
import { missingInput, NO_INPUT } from '../src/diagnose/inputs.js';
import { isAppOnly, NOT_IN_PROFILE, notInProfile } from '../src/diagnose/profile.js';
import { skipForUnknownUser } from '../src/diagnose/unknown-user.js';

/** Client-authentication refusals of app-credentials: the password grant sends the same client and secret, so it would fail alike. */
const CLIENT_REFUSALS = ['AADSTS7000215', 'AADSTS7000222', 'AADSTS700016', 'AADSTS7000112', 'AADSTS90002'];

/** The effect of the Microsoft-managed policy sign-in-policy found enforced, if that is what it found. */
const managedEffect = (r: CheckResult) =>
  r.code === 'CA_MANAGED_ENABLED' ? r.evidence.managedPolicyEffect : undefined;
const demandsMfa = (r: CheckResult) =>
  ['CA_REQUIRES_MFA', 'SECURITY_DEFAULTS_ON'].includes(r.code ?? '') || managedEffect(r) === 'mfa';

/** AADSTS answers to the attempt, and the consulted check whose finding explains each (when that check found it). */
const EXPLAINED_BY: RefusalCauses = {
  AADSTS50126: { check: 'user-realm', when: (r) => r.code === 'FEDERATED_USER' },
  AADSTS50057: { check: 'user-account', when: (r) => r.code === 'USER_DISABLED' },
  AADSTS50034: { check: 'user-account', when: (r) => r.code === 'USER_NOT_FOUND' },
  AADSTS50020: { check: 'user-account', when: (r) => r.code === 'USER_IS_GUEST' },
  AADSTS50076: { check: 'sign-in-policy', when: (r) => demandsMfa(r) },
  AADSTS50079: { check: 'sign-in-policy', when: (r) => demandsMfa(r) },
  AADSTS53003: { check: 'sign-in-policy', when: (r) => r.code === 'CA_BLOCKS' || managedEffect(r) === 'block' },
  AADSTS53000: {
    check: 'sign-in-policy',
    when: (r) => r.code === 'CA_REQUIRES_CONTROL' || managedEffect(r) === 'device',
  },
  AADSTS53001: {
    check: 'sign-in-policy',
    when: (r) => r.code === 'CA_REQUIRES_CONTROL' || managedEffect(r) === 'device',
  },
  AADSTS65001: { check: 'admin-consent', when: (r) => r.code === 'CONSENT_MISSING' },
  AADSTS50105: { check: 'service-principal', when: (r) => r.code === 'ASSIGNMENT_REQUIRED' },
  AADSTS7000112: { check: 'service-principal', when: (r) => r.code === 'SP_DISABLED' },
  AADSTS7000218: { check: 'app-registration', when: (r) => r.code === 'PUBLIC_CLIENT_DISABLED' },
};

export default defineCheck({
  meta: {
    id: 'ropc-token',
    title: 'Password-grant (ROPC) token',
    category: 'token',
    // The token endpoint and its cloud come from the tenant's discovery document: without it there is nowhere to post.
    dependsOn: ['tenant-discovery'],
    // Read before the one attempt: each can make its failure certain (then it is not made).
    after: ['app-credentials', 'user-realm', 'user-account'],
    // Read only to explain a refusal.
    consults: ['sign-in-policy', 'admin-consent', 'service-principal', 'app-registration'],
    description:
      'Requests the token the connector will use: the resource owner password credentials grant for the Exchange ' +
      'delegated scopes of the chosen activities, plus offline_access. It tries once only, so a wrong password never adds to a ' +
      "lockout, and not at all when failure is certain (the app's own credentials were refused, a personal account, a domain or " +
      'user Entra ID does not know). Every AADSTS answer is mapped to its cause and fix. Microsoft discourages ROPC and it cannot ' +
      'satisfy MFA: plan for app-only access where you can.',
    codes: {
      ROPC_OK: { message: 'Got a token for {username} with scopes {scope}.' },
      APP_CREDENTIALS_FAILED: {
        message:
          'Not tried: app-credentials was refused ({refusal}), and the password grant sends the same client id and secret, so it would be refused alike.',
      },
      REALM_REFUSES: {
        message:
          'Not tried: user-realm found that {username} cannot use the password grant ({realm}), so the attempt could only fail.',
      },
      USER_UNKNOWN: {
        message: 'Not tried: user-account found no user {username} in the tenant, so the attempt could only fail.',
      },
      PASSWORD_UNUSABLE: {
        message:
          'Not tried: the password starts or ends with white space, which the password grant does not support (see config).',
      },
      NO_INPUT,
      NOT_IN_PROFILE,
    },
  },
  async run(ctx) {
    if (isAppOnly(ctx)) return notInProfile(ctx, 'the app-only profile never uses the password grant');
    const noInput = missingInput(ctx, ['clientId', 'username', 'password']);
    if (noInput) return noInput;
    const password = ctx.config.password!.reveal();
    if (password.trim() !== password)
      return { status: 'skip', code: 'PASSWORD_UNUSABLE', skipReason: 'dependency-failed', causedBy: 'config' };
    const app = ctx.upstream('app-credentials');
    if (app?.status === 'fail' && CLIENT_REFUSALS.includes(app.code ?? '')) {
      return {
        status: 'skip',
        code: 'APP_CREDENTIALS_FAILED',
        skipReason: 'dependency-failed',
        causedBy: 'app-credentials',
        data: { refusal: app.code },
      };
    }
    const realm = ctx.upstream('user-realm');
    if (realm?.status === 'fail' && ['PERSONAL_ACCOUNT', 'UNKNOWN_REALM'].includes(realm.code ?? '')) {
      return {
        status: 'skip',
        code: 'REALM_REFUSES',
        skipReason: 'dependency-failed',
        causedBy: 'user-realm',
        data: { username: ctx.config.username, realm: realm.code },
      };
    }
    const noUser = skipForUnknownUser(ctx, 'USER_UNKNOWN', { username: ctx.config.username });
    if (noUser) return noUser;
    try {
      const token = await ctx.clients.tokens.ropc();
      const view = readDelegatedToken(token);
      return {
        status: 'pass',
        code: 'ROPC_OK',
        data: {
          username: ctx.config.username,
          scope: token.scope ?? (token.claims.scp ? String(token.claims.scp) : '(none named by Entra or the token)'),
        },
        evidence: {
          aud: view.audiences?.join(' ') ?? null,
          scp: view.scopes?.join(' ') ?? null,
          upn: view.user ?? null,
          refreshToken: token.hasRefreshToken,
          expiresOn: token.expiresOn ?? null,
          realm: realm?.code ?? null,
          advisory: advisoryText(advisory('ropc-deprecated')),
        },
      };
    } catch (err) {
      const outcome = entraFailure(err);
      const cause = await explainRefusal(ctx, outcome.code, EXPLAINED_BY);
      return cause ? { ...outcome, causedBy: cause } : outcome;
    }
  },
});
