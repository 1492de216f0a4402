// user-realm: how Entra ID signs the user in, and whether that leaves the password grant (ROPC) a chance.
import { defineCheck } from '../src/core/check.js';
import { missingInput, NO_INPUT } from '../src/diagnose/inputs.js';
import { isAppOnly, NOT_IN_PROFILE, notInProfile } from '../src/diagnose/profile.js';

const ROPC_DOC = 'https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth-ropc';

export default defineCheck({
  meta: {
    id: 'user-realm',
    title: 'User is cloud-managed',
    category: 'entra',
    // Its input is the user name alone: the realm endpoint is the cloud's /common one, not the tenant's.
    dependsOn: [],
    // An Entra refusal (AADSTS) is this check's finding: the runner reports it as fail with Entra's answer.
    entraRefusal: 'fail',
    description:
      "Asks Entra ID's user realm endpoint how the user signs in. The password grant (ROPC) works for managed " +
      '(cloud) users; a federated user (AD FS or another identity provider) is refused unless password hash sync and a home ' +
      'realm discovery policy allowing cloud password validation are in place, which only the one ROPC attempt can tell ' +
      `(${ROPC_DOC}). A personal Microsoft account or a domain Entra ID does not know cannot use ROPC at all.`,
    codes: {
      MANAGED_USER: { message: '{username} is a managed (cloud) user in {domain}.' },
      FEDERATED_USER: {
        message:
          "{username} is federated to {federation}: the password grant (ROPC) works only if {domain} has password hash sync and a home realm discovery policy allows cloud password validation. The one ROPC attempt is still made; ropc-token has Entra's answer.",
        remediation:
          'If ropc-token fails: use a cloud-only service account (in the tenant\'s .onmicrosoft.com domain or another managed domain), or enable password hash sync for {domain} and assign a home realm discovery policy with AllowCloudPasswordValidation = true to the app: New-MgPolicyHomeRealmDiscoveryPolicy -Definition @(\'{"HomeRealmDiscoveryPolicy":{"AllowCloudPasswordValidation":true}}\') -DisplayName "Allow cloud password validation", then New-MgServicePrincipalHomeRealmDiscoveryPolicyByRef for the service principal of {clientId}. See ' +
          ROPC_DOC +
          '.',
      },
      UNMANAGED_DIRECTORY: {
        message:
          '{domain} belongs to an unmanaged (self-service sign-up) directory: the password grant may work, but no administrator controls the account.',
        remediation:
          'Have an administrator take over the directory (admin takeover of {domain}) or use an account in a managed tenant.',
      },
      PERSONAL_ACCOUNT: {
        message:
          '{username} is a personal Microsoft account ({domain}); the password grant (ROPC) works only for work or school accounts, so no attempt was made.',
        remediation: 'Use a work account of the tenant that owns the mailbox (' + ROPC_DOC + ').',
      },
      UNKNOWN_REALM: {
        message:
          'Entra ID does not know the domain of {username} ({domain}), so the password grant cannot find the user and no attempt was made.',
        remediation: 'Check the user name: its domain must be a verified domain of the tenant.',
      },
      NO_INPUT,
      NOT_IN_PROFILE,
    },
  },
  // The realm GET needs no discovery answer: asked at run start, it is answered by the time this check runs.
  prepare(ctx) {
    ctx.clients.tokens.userRealm().catch(() => undefined);
  },
  async run(ctx) {
    if (isAppOnly(ctx)) return notInProfile(ctx, "it signs in with client credentials, not the user's password");
    const noInput = missingInput(ctx, ['username']);
    if (noInput) return noInput;
    const realm = await ctx.clients.tokens.userRealm();
    const type = String(realm.NameSpaceType ?? realm.account_type ?? 'Unknown');
    const domain = String(realm.DomainName ?? realm.domain_name ?? ctx.config.username.split('@')[1] ?? '');
    const evidence = {
      nameSpaceType: type,
      domainName: domain,
      federationBrandName: realm.FederationBrandName ? String(realm.FederationBrandName) : null,
      authUrl: realm.AuthURL ? String(realm.AuthURL) : null,
      cloudInstanceName: realm.cloud_instance_name ? String(realm.cloud_instance_name) : null,
      consumerDomain: realm.ConsumerDomain === true ? true : null,
      isViral: realm.IsViral === true ? true : null,
    };
    const data = { username: ctx.config.username, domain, clientId: ctx.config.clientId };
    if (realm.ConsumerDomain === true || type === 'MSA')
      return { status: 'fail', code: 'PERSONAL_ACCOUNT', data, evidence };
    if (type === 'Federated') {
      const federation = String(realm.FederationBrandName ?? realm.AuthURL ?? 'an external identity provider');
      return { status: 'warn', code: 'FEDERATED_USER', data: { ...data, federation }, evidence };
    }
    if (type === 'Managed' && realm.IsViral === true)
      return { status: 'warn', code: 'UNMANAGED_DIRECTORY', data, evidence };
    if (type === 'Managed') return { status: 'pass', code: 'MANAGED_USER', data, evidence };
    return { status: 'fail', code: 'UNKNOWN_REALM', data, evidence };
  },
});
