// user-realm: the user signs in with a cloud-managed password, which the password grant (ROPC) needs.
import { defineCheck } from '../src/check.js';
import { entraFailure } from '../src/diagnose/entra-outcome.js';

export default defineCheck({
  meta: {
    id: 'user-realm',
    title: 'User is cloud-managed',
    category: 'entra',
    dependsOn: ['tenant-discovery'],
    description: 'Asks Entra ID\'s user realm endpoint how the user signs in. The password grant (ROPC) works only for ' +
      'managed (cloud) users; a federated user (AD FS or another identity provider) is refused unless password hash sync and ' +
      'a home realm discovery policy allowing cloud password validation are in place.',
    codes: {
      MANAGED_USER: { message: '{username} is a managed (cloud) user in {domain}.' },
      FEDERATED_USER: {
        message: '{username} is federated to {federation}; the password grant (ROPC) cannot sign it in.',
        remediation: 'Either use a cloud-only service account (in the tenant\'s .onmicrosoft.com domain or another managed domain), or enable password hash sync for {domain} and assign a home realm discovery policy with AllowCloudPasswordValidation = true to the app: New-MgPolicyHomeRealmDiscoveryPolicy -Definition @(\'{"HomeRealmDiscoveryPolicy":{"AllowCloudPasswordValidation":true}}\') -DisplayName "Allow cloud password validation" and then add it to the service principal of {clientId}. Then re-run.',
      },
      UNKNOWN_REALM: {
        message: 'Entra ID does not know the domain of {username} ({domain}).',
        remediation: 'Check the user name: its domain must be a verified domain of the tenant.',
      },
    },
  },
  // The realm GET needs no discovery answer: asked at run start, it is answered by the time this check runs.
  prepare(ctx) { ctx.clients.tokens.userRealm().catch(() => undefined); },
  async run(ctx) {
    let realm: Record<string, unknown>;
    try {
      realm = await ctx.clients.tokens.userRealm();
    } catch (err) {
      return entraFailure(ctx, err);
    }
    const type = String(realm.NameSpaceType ?? realm.account_type ?? 'Unknown');
    const domain = String(realm.DomainName ?? realm.domain_name ?? ctx.config.username.split('@')[1] ?? '');
    const evidence = {
      nameSpaceType: type, domainName: domain,
      federationBrandName: realm.FederationBrandName ? String(realm.FederationBrandName) : null,
      authUrl: realm.AuthURL ? String(realm.AuthURL) : null,
      cloudInstanceName: realm.cloud_instance_name ? String(realm.cloud_instance_name) : null,
    };
    const data = { username: ctx.config.username, domain, clientId: ctx.config.clientId };
    if (type === 'Managed') return { status: 'pass', code: 'MANAGED_USER', data, evidence };
    if (type === 'Federated') {
      const federation = String(realm.FederationBrandName ?? realm.AuthURL ?? 'an external identity provider');
      return { status: 'fail', code: 'FEDERATED_USER', data: { ...data, federation }, evidence };
    }
    return { status: 'fail', code: 'UNKNOWN_REALM', data, evidence };
  },
});
