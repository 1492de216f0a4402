// The permissions a connector needs per activity, with the GUIDs Entra uses for them (facts §5).
import type { Activity, ConnectorProfile } from '../config/types.js';

export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
export const EXCHANGE_APP_ID = '00000002-0000-0ff1-ce00-000000000000';

export type ResourceName = 'Microsoft Graph' | 'Office 365 Exchange Online';

export interface Permission {
  resource: ResourceName;
  resourceAppId: string;
  type: 'Scope' | 'Role'; // delegated | application, as requiredResourceAccess spells it
  value: string;
  id: string;
}

const graphScope = (value: string, id: string): Permission => ({
  resource: 'Microsoft Graph',
  resourceAppId: GRAPH_APP_ID,
  type: 'Scope',
  value,
  id,
});
const graphRole = (value: string, id: string): Permission => ({
  resource: 'Microsoft Graph',
  resourceAppId: GRAPH_APP_ID,
  type: 'Role',
  value,
  id,
});
const exchangeRole = (value: string, id: string): Permission => ({
  resource: 'Office 365 Exchange Online',
  resourceAppId: EXCHANGE_APP_ID,
  type: 'Role',
  value,
  id,
});

export const PERMISSIONS = {
  offlineAccess: graphScope('offline_access', '7427e0e9-2fba-42fe-b0c0-848c9e6a8182'),
  userRead: graphScope('User.Read', 'e1fe6dd8-ba31-4d61-89e7-88639da4683d'),
  imapAsUser: graphScope('IMAP.AccessAsUser.All', '652390e4-393a-48de-9484-05f9b1212954'),
  popAsUser: graphScope('POP.AccessAsUser.All', 'd7b7f2d9-0f45-4ea1-9d42-e50810c06991'),
  smtpSend: graphScope('SMTP.Send', '258f6531-6087-4cc4-bb90-092c5fb3ed3f'),
  mailSendRole: graphRole('Mail.Send', 'b633e1c5-b582-4048-a93e-9f11b44c7e96'),
  userReadAllRole: graphRole('User.Read.All', 'df021288-bdef-4463-88db-98f22de89214'),
  imapAsApp: exchangeRole('IMAP.AccessAsApp', '5e5addcd-3e8d-4e90-baf5-964efab2b20a'),
  popAsApp: exchangeRole('POP.AccessAsApp', 'cb842b43-da6e-4506-86fe-bb12199c656d'),
  // Facts §5 (weaker source): read the live id from Exchange's service principal where a directory reader allows.
  smtpSendAsApp: exchangeRole('SMTP.SendAsApp', '7146a1f0-8703-45b3-9eae-527a64c00995'),
} as const;

/** Delegated scopes the ROPC token must carry, as Exchange names them (without resource prefix). */
export function exchangeDelegatedScopes(activities: readonly Activity[]): string[] {
  const scopes: string[] = [];
  if (activities.includes('read-imap')) scopes.push('IMAP.AccessAsUser.All');
  if (activities.includes('read-pop')) scopes.push('POP.AccessAsUser.All');
  if (activities.includes('send-smtp')) scopes.push('SMTP.Send');
  return scopes;
}

/** Graph delegated permissions: offline_access, IMAP/POP + User.Read for reading; offline_access, SMTP.Send for sending. */
export function requiredDelegated(activities: readonly Activity[]): Permission[] {
  const p = PERMISSIONS;
  const list: Permission[] = [p.offlineAccess];
  if (activities.includes('read-imap')) list.push(p.imapAsUser);
  if (activities.includes('read-pop')) list.push(p.popAsUser);
  if (activities.some((a) => a === 'read-imap' || a === 'read-pop')) list.push(p.userRead);
  if (activities.includes('send-smtp')) list.push(p.smtpSend);
  return list;
}

export function requiredGraphRoles(): Permission[] {
  return [PERMISSIONS.mailSendRole, PERMISSIONS.userReadAllRole];
}

export function requiredExchangeRoles(activities: readonly Activity[]): Permission[] {
  const list: Permission[] = [];
  if (activities.includes('read-imap')) list.push(PERMISSIONS.imapAsApp);
  if (activities.includes('read-pop')) list.push(PERMISSIONS.popAsApp);
  return list;
}

export function requiredPermissions(activities: readonly Activity[]): Permission[] {
  return [...requiredDelegated(activities), ...requiredGraphRoles(), ...requiredExchangeRoles(activities)];
}

/** What one connector profile needs, per kind. A permission outside these lists is at most mentioned, never failed. */
export interface ProfileNeeds {
  delegated: Permission[];
  graphRoles: Permission[];
  exchangeRoles: Permission[];
  /**
   * Application permissions Exchange may grant instead through RBAC for Applications (a management role assignment
   * with a management scope), for which Microsoft advises against the unscoped Entra permission: missing from the
   * app, its consent or its token they are no failure; the login that needs them decides (smtp-login).
   * https://learn.microsoft.com/exchange/client-developer/legacy-protocols/smtp-app-rbac-onboarding
   */
  rbacGrantable: Permission[];
}

/**
 * vendor: the vendor's full prerequisites list (delegated per activity, Graph Mail.Send + User.Read.All, Exchange
 * IMAP/POP.AccessAsApp); delegated: only the delegated scopes of the activities plus offline_access; app-only:
 * client-credentials roles per activity (IMAP.AccessAsApp, POP.AccessAsApp; SMTP.SendAsApp or RBAC for Applications), no delegated scope.
 */
export function profileNeeds(activities: readonly Activity[], profile: ConnectorProfile): ProfileNeeds {
  if (profile === 'delegated')
    return { delegated: requiredDelegated(activities), graphRoles: [], exchangeRoles: [], rbacGrantable: [] };
  if (profile === 'app-only') {
    const rbacGrantable = activities.includes('send-smtp') ? [PERMISSIONS.smtpSendAsApp] : [];
    return { delegated: [], graphRoles: [], exchangeRoles: requiredExchangeRoles(activities), rbacGrantable };
  }
  return {
    delegated: requiredDelegated(activities),
    graphRoles: requiredGraphRoles(),
    exchangeRoles: requiredExchangeRoles(activities),
    rbacGrantable: [],
  };
}

/** Every permission of a profile, delegated first. */
export function profilePermissions(activities: readonly Activity[], profile: ConnectorProfile): Permission[] {
  const n = profileNeeds(activities, profile);
  return [...n.delegated, ...n.graphRoles, ...n.exchangeRoles];
}
