// Edits of the emulated tenant that several per-check tests make, as `tenant:` functions of a case.
import { EXCHANGE_ROLES } from '../../src/emulator/ids.js';
import type { TenantModel } from '../../src/emulator/model.js';

/** Consent without one delegated scope, and Entra issuing the consented scopes only: a token that lacks it. */
export function withoutDelegatedScope(scope: string) {
  return (t: TenantModel): void => {
    for (const g of t.oauth2PermissionGrants)
      g.scope = g.scope
        .split(' ')
        .filter((s) => s !== scope)
        .join(' ');
    t.issueConsentedSubset = true;
  };
}

/** The app's grant of one Exchange application permission removed. */
export function withoutExchangeRole(role: keyof typeof EXCHANGE_ROLES) {
  return (t: TenantModel): void => {
    t.appRoleAssignments = t.appRoleAssignments.filter((a) => a.appRoleId !== EXCHANGE_ROLES[role]);
  };
}
