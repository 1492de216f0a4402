// ropc-scopes: the ROPC token is one Exchange will accept: audience, scopes and user.
import { defineCheck } from '../src/core/check.js';
import { CLOUDS } from '../src/m365/clouds.js';
import { exchangeDelegatedScopes } from '../src/m365/permissions.js';
import { readDelegatedToken } from '../src/auth/claims.js';
import { isAppOnly, NOT_IN_PROFILE, notInProfile } from '../src/diagnose/profile.js';

const EXCHANGE_AUDIENCES = [
  'https://outlook.office.com',
  'https://outlook.office365.com',
  '00000002-0000-0ff1-ce00-000000000000',
];

export default defineCheck({
  meta: {
    id: 'ropc-scopes',
    title: 'Token fits Exchange',
    category: 'token',
    // Its input is the ROPC token: without one there is nothing to decode.
    dependsOn: ['ropc-token'],
    hardDependencies: (config) => (config.profile === 'app-only' ? [] : ['ropc-token']),
    // Read only to explain a missing scope, and a token for another user name.
    consults: ['admin-consent', 'user-account'],
    description:
      'Decodes the ROPC token. Exchange accepts it only if its audience is Exchange Online (a Microsoft Graph token ' +
      'is refused with a bare "AUTHENTICATE failed"), its scp claim holds IMAP.AccessAsUser.All / POP.AccessAsUser.All / SMTP.Send ' +
      'as the activities need, and its upn is the mailbox user. Whether a refresh token came back is recorded as evidence: Entra ' +
      'issues one whenever offline_access is requested, and the tool always requests it.',
    codes: {
      TOKEN_FITS: { message: 'Audience {aud}, scopes {scp}, user {upn}.' },
      WRONG_TOKEN_AUDIENCE: {
        message: 'The token is for {aud}, not Exchange Online: Exchange will refuse it.',
        remediation:
          'Request the scopes with the Exchange resource prefix, e.g. {scopeHost}/IMAP.AccessAsUser.All, not the Microsoft Graph ones (https://graph.microsoft.com/...).',
      },
      SCOPE_MISSING: {
        message: 'The token lacks {missing}; {protocols} will be refused.',
        remediation:
          'Add the delegated permission(s) {missing} (Microsoft Graph > Delegated permissions) to app {clientId}, grant admin consent, and request {scopeHost}/<scope> in the token request.',
      },
      UPN_MISMATCH: {
        message:
          'The token belongs to {upn}, not {username}: Entra signed in {upn} for that name (e.g. email as an alternate login ID).',
        remediation:
          "Configure the connector with {upn}, the token's user principal name: Exchange SMTP AUTH refuses an XOAUTH2 user= that is not it. IMAP and POP open the mailbox named in user= when it is {upn}'s own or {upn} has FullAccess on it.",
      },
      NOT_IN_PROFILE,
      TOKEN_UNREADABLE: {
        message:
          'Whether the token fits Exchange cannot be read: {unreadable}. The logins will tell whether Exchange accepts it.',
        remediation:
          'Nothing to change if the logins pass: Microsoft documents access tokens as opaque to clients (learn.microsoft.com/entra/identity-platform/access-tokens), and Entra names the granted scopes in the token response. Otherwise run `m365-doctor token` to see what the token endpoint returned, and check --authority-host and any proxy in between.',
      },
    },
  },
  async run(ctx) {
    if (isAppOnly(ctx)) return notInProfile(ctx, 'the app-only profile never uses the password grant');
    const token = await ctx.clients.tokens.ropc();
    // Judged from what the token and its response say; a claim nobody wrote is not a finding.
    const view = readDelegatedToken(token);
    const scp = view.scopes ?? [];
    const upn = view.user ?? '(no user claim)';
    const cloud = CLOUDS[ctx.config.cloud].endpoints;
    const exchange = [...EXCHANGE_AUDIENCES, cloud.exchangeResource, cloud.exchangeScopeHost];
    const aud =
      view.audiences?.find((a) => exchange.includes(a.replace(/\/$/, ''))) ??
      view.audiences?.[0] ??
      '(not named: opaque token)';
    const evidence = {
      aud,
      scp: scp.join(' '),
      upn: view.user ?? null,
      refreshToken: token.hasRefreshToken,
      scopeSource: view.scopeSource ?? null,
      jwt: view.jwt,
    };
    // Judged against the cloud's own Exchange hosts, not the scope host the request used: a request for the wrong resource
    // (a connector asking for Graph scopes) must not make its own audience look right, nor the advice repeat it.
    const data = {
      aud,
      scp: scp.join(' '),
      upn,
      username: ctx.config.username,
      clientId: ctx.config.clientId,
      scopeHost: cloud.exchangeScopeHost,
    };
    if (view.audiences && !view.audiences.some((a) => exchange.includes(a.replace(/\/$/, '')))) {
      return { status: 'fail', code: 'WRONG_TOKEN_AUDIENCE', data, evidence };
    }
    if (!view.scopes) {
      const unreadable = `${view.jwt ? 'the token names no scopes (no scp or scope claim)' : 'the token is not a JWT'} and the token endpoint's answer has no scope field`;
      return { status: 'warn', code: 'TOKEN_UNREADABLE', data: { ...data, unreadable }, evidence };
    }
    const held = new Set(scp.map((s) => s.toLowerCase()));
    const missing = exchangeDelegatedScopes(ctx.config.activities).filter((s) => !held.has(s.toLowerCase()));
    if (missing.length) {
      const protocols = missing.map((s) => s.split('.')[0]).join(', ');
      const outcome = {
        status: 'fail' as const,
        code: 'SCOPE_MISSING' as const,
        data: { ...data, missing: missing.join(', '), protocols },
        evidence: { ...evidence, missing },
      };
      // Entra issued only what was consented: admin-consent, when it found that scope missing, is the cause.
      const consent = await ctx.settled('admin-consent');
      const unconsented =
        consent?.code === 'CONSENT_MISSING' && missing.some((s) => String(consent.message).includes(s));
      return unconsented ? { ...outcome, causedBy: 'admin-consent' } : outcome;
    }
    if (view.user && upn.toLowerCase() !== ctx.config.username.toLowerCase()) {
      // user-account, when it found the configured name to be the mail address of this UPN, is the cause.
      const account = await ctx.settled('user-account');
      const explained =
        account?.code === 'USERNAME_NOT_UPN' &&
        String(account.evidence.userPrincipalName).toLowerCase() === upn.toLowerCase();
      return {
        status: 'warn',
        code: 'UPN_MISMATCH',
        data,
        evidence,
        ...(explained ? { causedBy: 'user-account' } : {}),
      };
    }
    return { status: 'pass', code: 'TOKEN_FITS', data, evidence };
  },
});
