// Entra's public metadata: OIDC discovery (v2 and v1), the signing keys (JWKS) and home-realm discovery (userrealm).
import type { TenantModel } from './model.js';
import { findUser, namesTenant } from './entra-grants.js';
import { v1Issuer, v2Issuer } from './entra-tokens.js';

/** Graph hosts a tenant's cloud reports in discovery (facts §2.2). */
const CLOUD_HOSTS: Record<string, { msgraph: string; aadGraph: string; rbac: string }> = {
  'microsoftonline.com': {
    msgraph: 'graph.microsoft.com',
    aadGraph: 'graph.windows.net',
    rbac: 'https://pas.windows.net',
  },
  'microsoftonline.us': {
    msgraph: 'graph.microsoft.us',
    aadGraph: 'graph.microsoftazure.us',
    rbac: 'https://pasff.usgovcloudapi.net',
  },
  'partner.microsoftonline.cn': {
    msgraph: 'microsoftgraph.chinacloudapi.cn',
    aadGraph: 'graph.chinacloudapi.cn',
    rbac: 'https://pas.chinacloudapi.cn',
  },
};

const CLAIMS = [
  'sub',
  'iss',
  'cloud_instance_name',
  'cloud_instance_host_name',
  'cloud_graph_host_name',
  'msgraph_host',
  'aud',
  'exp',
  'iat',
  'auth_time',
  'acr',
  'nonce',
  'preferred_username',
  'name',
  'tid',
  'ver',
  'at_hash',
  'c_hash',
  'email',
];

/**
 * The discovery document for a tenant segment, or undefined when the segment names no tenant (AADSTS90002).
 * `common` and `organizations` answer with the "{tenantid}" placeholder, as Entra does.
 */
export function openIdConfiguration(
  tenant: TenantModel,
  segment: string,
  authorityHost: string,
  graphUrl: string,
  version: 'v1' | 'v2',
): Record<string, unknown> | undefined {
  const seg = segment.toLowerCase();
  const multi = seg === 'common' || seg === 'organizations';
  if (!multi && !namesTenant(tenant, seg)) return undefined;
  const tid = multi ? '{tenantid}' : tenant.tenantId;
  const path = multi ? seg : tenant.tenantId;
  const hosts = CLOUD_HOSTS[tenant.cloudInstanceName] ?? CLOUD_HOSTS['microsoftonline.com'];
  const v2 = version === 'v2';
  const base = `${authorityHost}/${path}`;
  const doc: Record<string, unknown> = {
    token_endpoint: v2 ? `${base}/oauth2/v2.0/token` : `${base}/oauth2/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: v2 ? `${base}/discovery/v2.0/keys` : `${base}/discovery/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: [
      'code',
      'id_token',
      'code id_token',
      v2 ? 'id_token token' : 'token id_token',
      ...(v2 ? [] : ['token']),
    ],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: v2 ? v2Issuer(authorityHost, tid) : multi ? 'https://sts.windows.net/{tenantid}/' : v1Issuer(tid),
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${graphUrl}/oidc/userinfo`,
    authorization_endpoint: v2 ? `${base}/oauth2/v2.0/authorize` : `${base}/oauth2/authorize`,
    device_authorization_endpoint: v2 ? `${base}/oauth2/v2.0/devicecode` : `${base}/oauth2/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: v2 ? `${base}/oauth2/v2.0/logout` : `${base}/oauth2/logout`,
    claims_supported: CLAIMS,
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: multi ? null : tenant.tenantRegionScope,
    ...(!multi && tenant.tenantRegionSubScope ? { tenant_region_sub_scope: tenant.tenantRegionSubScope } : {}),
    cloud_instance_name: tenant.cloudInstanceName,
    cloud_graph_host_name: hosts.aadGraph,
    msgraph_host: hosts.msgraph,
    rbac_url: hosts.rbac,
  };
  return doc;
}

/** GET /common/userrealm/{upn}: is the user's domain managed by Entra, federated elsewhere, or unknown? */
export function userRealm(tenant: TenantModel, upn: string, apiVersion: string): Record<string, unknown> {
  const domainName = upn.includes('@') ? upn.slice(upn.lastIndexOf('@') + 1).toLowerCase() : '';
  if (CONSUMER_DOMAINS.includes(domainName)) return consumerRealm(tenant, upn, domainName, apiVersion);
  const domain = tenant.domains.find((d) => d.id.toLowerCase() === domainName && d.isVerified);
  const user = domain ? findUser(tenant, upn) : undefined;
  const kind: 'Managed' | 'Federated' | 'Unknown' = !domain
    ? 'Unknown'
    : (user?.namespaceType ?? domain.authenticationType);
  const sts = `https://sts.${domainName}/adfs`;
  if (apiVersion === '1.0') {
    return {
      ver: '1.0',
      account_type: kind,
      domain_name: domainName,
      cloud_instance_name: tenant.cloudInstanceName,
      cloud_audience_urn: 'urn:federation:MicrosoftOnline',
      ...(kind === 'Federated'
        ? {
            federation_protocol: 'WSTrust',
            federation_metadata_url: `${sts}/services/trust/mex`,
            federation_active_auth_url: `${sts}/services/trust/2005/usernamemixed`,
          }
        : {}),
    };
  }
  return {
    NameSpaceType: kind,
    Login: upn,
    DomainName: domainName,
    ...(kind !== 'Unknown' ? { FederationBrandName: tenant.displayName, TenantBrandingInfo: null } : {}),
    cloud_instance_name: tenant.cloudInstanceName,
    ...(kind === 'Federated'
      ? {
          AuthURL: `${sts}/ls/?username=${encodeURIComponent(upn)}&wa=wsignin1.0&wtrealm=urn%3afederation%3aMicrosoftOnline&wctx=`,
          federation_protocol: 'WSTrust',
        }
      : {}),
    ...(domain?.isViral ? { IsViral: true } : {}),
    ConsumerDomain: false,
  };
}

/** Domains of personal Microsoft accounts: Entra answers for them from the consumer (MSA) realm, whatever the tenant. */
const CONSUMER_DOMAINS = ['outlook.com', 'hotmail.com', 'live.com', 'msn.com'];

/** A personal Microsoft account: v1 says account_type MSA, v2 a managed namespace flagged ConsumerDomain. */
function consumerRealm(
  tenant: TenantModel,
  upn: string,
  domainName: string,
  apiVersion: string,
): Record<string, unknown> {
  if (apiVersion === '1.0') {
    return {
      ver: '1.0',
      account_type: 'MSA',
      domain_name: domainName,
      cloud_instance_name: tenant.cloudInstanceName,
      cloud_audience_urn: 'urn:federation:MicrosoftOnline',
    };
  }
  return {
    NameSpaceType: 'Managed',
    Login: upn,
    DomainName: domainName,
    FederationBrandName: 'Microsoft Services',
    TenantBrandingInfo: null,
    cloud_instance_name: tenant.cloudInstanceName,
    ConsumerDomain: true,
  };
}
