// tenant-discovery: the tenant exists and lives in the cloud the tool was pointed at (OIDC discovery).
import type { ResolvedConfig } from '../src/config/types.js';
import { defineCheck } from '../src/core/check.js';
import { CLOUDS, cloudOfInstance } from '../src/m365/clouds.js';
import { missingInput, NO_INPUT } from '../src/diagnose/inputs.js';

const CLOUD_FLAG: Record<string, string> = {
  usgov: '--cloud usgov',
  usgovdod: '--cloud usgovdod',
  china: '--cloud china',
  global: '--cloud global',
};

/**
 * Entra requests a full run has in flight at once, all sent at start: discovery, the user realm, the app's
 * client-credentials POST, and the directory reader's when it signs in with a secret.
 */
const entraConnections = (config: ResolvedConfig) => (config.admin?.kind === 'client-secret' ? 4 : 3);

export default defineCheck({
  meta: {
    id: 'tenant-discovery',
    title: 'Tenant exists in this cloud',
    category: 'entra',
    // Its input is the tenant alone: a missing password (config fails) does not stop it.
    dependsOn: [],
    // An Entra refusal (AADSTS) is this check's finding: the runner reports it as fail with Entra's answer.
    entraRefusal: 'fail',
    description:
      "Reads the tenant's OpenID Connect discovery document. It proves the tenant id or domain is right, and its " +
      'cloud_instance_name and tenant_region_sub_scope show which Microsoft cloud the tenant lives in: tokens from one cloud ' +
      'are worthless in another.',
    codes: {
      TENANT_FOUND: { message: 'Tenant {tenantId} found ({cloudInstanceName}, region {region}).' },
      WRONG_CLOUD: {
        message:
          'The tenant lives in {actualCloud} ({cloudInstanceName}{subScope}), but the checks were pointed at {configuredCloud}.',
        remediation:
          "Re-run with {flag}; the connector must also use that cloud's endpoints (login, Graph, Exchange hosts).",
      },
      NO_INPUT,
    },
  },
  // Discovery, the user realm and the token POSTs go to Entra side by side: their connections are opened at once.
  prepare(ctx) {
    ctx.clients.preconnectHttps?.('entra', entraConnections(ctx.config));
  },
  async run(ctx) {
    const noInput = missingInput(ctx, ['tenant']);
    if (noInput) return noInput;
    const doc = await ctx.clients.tokens.discovery();
    const issuer = String(doc.issuer ?? '');
    const tenantId = issuer.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i)?.[0] ?? '';
    const cloudInstanceName = String(doc.cloud_instance_name ?? '');
    const subScope = doc.tenant_region_sub_scope ? String(doc.tenant_region_sub_scope) : '';
    const evidence = {
      issuer,
      tenantId,
      cloudInstanceName,
      tenantRegionScope: String(doc.tenant_region_scope ?? ''),
      tenantRegionSubScope: subScope || null,
      tokenEndpoint: String(doc.token_endpoint ?? ''),
    };
    const configured = ctx.config.cloud;
    let actual = cloudOfInstance(cloudInstanceName);
    if (actual === 'usgov' && subScope === 'DOD') actual = 'usgovdod';
    if (actual && actual !== configured && !(configured === 'usgovdod' && actual === 'usgov')) {
      return {
        status: 'fail',
        code: 'WRONG_CLOUD',
        evidence,
        data: {
          actualCloud: CLOUDS[actual].label,
          configuredCloud: CLOUDS[configured].label,
          cloudInstanceName,
          subScope: subScope ? `, sub-scope ${subScope}` : '',
          flag: CLOUD_FLAG[actual],
        },
      };
    }
    return {
      status: 'pass',
      code: 'TENANT_FOUND',
      evidence,
      data: { tenantId, cloudInstanceName, region: evidence.tenantRegionScope + (subScope ? `/${subScope}` : '') },
    };
  },
});
