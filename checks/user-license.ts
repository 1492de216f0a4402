// user-license: the user holds an enabled Exchange Online plan, ideally Microsoft 365 Business Standard.
import { defineCheck, type CheckContext } from '../src/core/check.js';
import { userPath, type GraphUser } from '../src/m365/graph-paths.js';
import { missingInput, NO_INPUT } from '../src/diagnose/inputs.js';
import { NO_USER_READER, noUserReader, userReader } from '../src/diagnose/graph-identity.js';
import { BUSINESS_STANDARD_SKU_ID, EXCHANGE_MAILBOX_PLANS, KNOWN_SKUS } from '../src/m365/licenses.js';
import { skipForUnknownUser } from '../src/diagnose/unknown-user.js';

interface SkuPlans {
  skuPartNumber: string;
  product: string;
  exchangePlanIds: string[];
  suspended: boolean;
}
interface GraphSku {
  skuId: string;
  skuPartNumber: string;
  capabilityStatus: string;
  servicePlans?: Array<{ servicePlanId: string }>;
}

export default defineCheck({
  meta: {
    id: 'user-license',
    title: 'User has an Exchange Online licence',
    category: 'graph',
    // Reads the user itself: a disabled user or a guest still has licences to judge. Only a missing user has none.
    dependsOn: ['tenant-discovery'],
    after: ['user-account', 'app-roles-graph'],
    description:
      'A mailbox exists only while the user holds a licence with an Exchange Online service plan that is not disabled. ' +
      "The connector's vendor requires Microsoft 365 Business Standard; other Exchange licences work but are reported.",
    codes: {
      LICENSE_OK: { message: '{upn} has {product} with {plan}.' },
      LICENSE_NOT_BUSINESS_STANDARD: {
        message:
          '{upn} has Exchange Online through {product}, not Microsoft 365 Business Standard as the connector requires.',
        remediation:
          'If the connector vendor insists on Business Standard, assign it: Microsoft 365 admin center > Users > {upn} > Licenses and apps.',
      },
      NO_EXCHANGE_LICENSE: {
        message: '{upn} has no licence with an Exchange Online mailbox ({licences}).',
        remediation:
          'Assign Microsoft 365 Business Standard: Microsoft 365 admin center > Users > {upn} > Licenses and apps, or Set-MgUserLicense -UserId {upn} -AddLicenses @{SkuId = "' +
          BUSINESS_STANDARD_SKU_ID +
          '"} -RemoveLicenses @(). The mailbox appears within minutes.',
      },
      EXCHANGE_PLAN_DISABLED: {
        message: '{upn} has {product}, but its Exchange Online plan is switched off for this user.',
        remediation:
          'Microsoft 365 admin center > Users > {upn} > Licenses and apps > {product} > turn Exchange Online on.',
      },
      SUBSCRIPTION_SUSPENDED: {
        message: 'The {product} subscription of {upn} is {status}.',
        remediation: 'Renew or reactivate the subscription in Microsoft 365 admin center > Billing > Your products.',
      },
      UNKNOWN_SKU: {
        message: '{upn} has licences m365-doctor cannot map offline ({licences}).',
        remediation: "Re-run with a directory reader (--admin) so the tenant's /subscribedSkus can be read.",
      },
      NO_USER_READER,
      NO_USER: { message: 'Not checked: user-account found no user {username}, so there are no licences to read.' },
      NO_INPUT,
    },
  },
  async run(ctx) {
    const noInput = missingInput(ctx, ['username']);
    if (noInput) return noInput;
    const noUser = skipForUnknownUser(ctx, 'NO_USER', { username: ctx.config.username });
    if (noUser) return noUser;
    const as = userReader(ctx);
    if (!as) return noUserReader();
    // user-account may have found the user by its mail address; /users/{x} takes only the UPN (or id).
    const upnFound = ctx.upstream('user-account')?.evidence.userPrincipalName;
    const user = await ctx.clients.graph.get<GraphUser>(
      userPath(typeof upnFound === 'string' ? upnFound : ctx.config.username),
      as,
    );
    const licences = user.assignedLicenses ?? [];
    const catalog = await skuCatalog(ctx);
    const upn = user.userPrincipalName ?? ctx.config.username;
    const names = licences.map((l) => catalog.get(l.skuId)?.skuPartNumber ?? l.skuId);
    const evidence = { skus: names, readAs: as, skuSource: ctx.config.admin ? 'subscribedSkus' : 'built-in table' };
    const withExchange = licences
      .map((l) => ({ licence: l, sku: catalog.get(l.skuId) }))
      .filter((x) => x.sku && x.sku.exchangePlanIds.length > 0);
    const enabled = withExchange.filter((x) =>
      x.sku!.exchangePlanIds.some((p) => !(x.licence.disabledPlans ?? []).includes(p)),
    );
    const active = enabled.filter((x) => !x.sku!.suspended);
    const best = active.find((x) => x.licence.skuId === BUSINESS_STANDARD_SKU_ID) ?? active[0];
    if (best) {
      const plan = best.sku!.exchangePlanIds.map((p) => EXCHANGE_MAILBOX_PLANS[p] ?? p).join(', ');
      const data = { upn, product: best.sku!.product, plan };
      if (best.licence.skuId === BUSINESS_STANDARD_SKU_ID)
        return { status: 'pass', code: 'LICENSE_OK', data, evidence };
      return { status: 'warn', code: 'LICENSE_NOT_BUSINESS_STANDARD', data, evidence };
    }
    const [suspended] = enabled;
    if (suspended) {
      return {
        status: 'fail',
        code: 'SUBSCRIPTION_SUSPENDED',
        data: { upn, product: suspended.sku!.product, status: 'suspended' },
        evidence,
      };
    }
    const [planDisabled] = withExchange;
    if (planDisabled)
      return {
        status: 'fail',
        code: 'EXCHANGE_PLAN_DISABLED',
        data: { upn, product: planDisabled.sku!.product },
        evidence,
      };
    const unknown = licences.filter((l) => !catalog.has(l.skuId));
    if (unknown.length)
      return { status: 'warn', code: 'UNKNOWN_SKU', data: { upn, licences: names.join(', ') }, evidence };
    // A guest has its mailbox in its home tenant: licensing it here is not the fix, using a member account is.
    const guest = ctx.upstream('user-account')?.code === 'USER_IS_GUEST';
    return {
      status: 'fail',
      code: 'NO_EXCHANGE_LICENSE',
      data: { upn, licences: names.length ? names.join(', ') : 'none' },
      evidence,
      ...(guest ? { causedBy: 'user-account' } : {}),
    };
  },
});

/** The tenant's own SKUs when a directory reader can list them, else the built-in table. */
async function skuCatalog(ctx: CheckContext): Promise<Map<string, SkuPlans>> {
  const map = new Map<string, SkuPlans>();
  for (const [skuId, sku] of Object.entries(KNOWN_SKUS)) map.set(skuId, { ...sku, suspended: false });
  if (!ctx.config.admin) return map;
  const skus = await ctx.clients.graph.list<GraphSku>('/subscribedSkus', 'admin');
  for (const s of skus) {
    map.set(s.skuId, {
      skuPartNumber: s.skuPartNumber,
      product: KNOWN_SKUS[s.skuId]?.product ?? s.skuPartNumber,
      // A $select or an imitation may leave the list out: no plans listed is no Exchange plan known.
      exchangePlanIds: (s.servicePlans ?? []).map((p) => p.servicePlanId).filter((id) => id in EXCHANGE_MAILBOX_PLANS),
      suspended: s.capabilityStatus === 'Suspended' || s.capabilityStatus === 'LockedOut',
    });
  }
  return map;
}
