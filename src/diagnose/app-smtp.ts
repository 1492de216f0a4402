// App-only SMTP (SMTP.SendAsApp): the evidence an app-only SMTP login leaves, and the texts shared by the checks that
// make one (smtp-login in the app-only profile, exchange-app-smtp in the vendor profile) and by smtp-send.
// Exchange's side of the set-up (https://learn.microsoft.com/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth):
// the role in the token, the service principal registered with New-ServicePrincipal under the enterprise
// application's object id, and a right to send as the mailbox (FullAccess, Send As, or RBAC for Applications:
// https://learn.microsoft.com/exchange/permissions-exo/application-rbac).
import type { CheckContext, CodeText, Evidence } from '../core/check.js';
import type { TokenInfo } from '../clients/types.js';

export const SEND_AS_APP = 'SMTP.SendAsApp';

/**
 * What one app-only SMTP login shows, in fields a later reader (a migration plan) can rely on:
 * - servicePrincipalRegistered: true when Exchange accepted the token; false when it refused a token that holds the
 *   role (no registration, or one under the wrong object id: Exchange answers both alike); null when the login
 *   cannot tell (the role is missing, or the login never reached AUTH).
 * - mailboxPermission: "proven" when a message was accepted, "denied" when the submission was refused for lack of
 *   a right on the mailbox, "unproven" when only AUTH was tried (Exchange checks the right at submission).
 */
export interface AppSmtpFacts {
  tokenRoles: string[];
  holdsSendAsApp: boolean;
  servicePrincipalRegistered: boolean | null;
  servicePrincipalObjectId: string;
  appRegistrationObjectId: string;
  mailboxPermission: 'proven' | 'denied' | 'unproven';
}

export function appSmtpEvidence(facts: AppSmtpFacts): Record<string, Evidence> {
  return { ...facts };
}

/** The enterprise application's object id: the app-only token's oid. */
export function spObjectIdOf(token: TokenInfo): string {
  return String(token.claims.oid ?? '<enterprise application object id>');
}

/** The enterprise application's object id (the token's oid) and the app registration's (from app-registration). */
export async function appObjectIds(
  ctx: CheckContext,
  token: TokenInfo,
): Promise<{ spObjectId: string; appObjectId: string }> {
  const registration = await ctx.settled('app-registration');
  return {
    spObjectId: spObjectIdOf(token),
    appObjectId: String(registration?.evidence.objectId ?? '<app registration object id>'),
  };
}

/**
 * Exchange's answers at submission when the app has no right on the mailbox it authenticated as: 430 4.2.0 STOREDRV
 * mailbox logon failure (reported for client-credentials SMTP: https://github.com/simonrob/email-oauth2-proxy/issues/271),
 * 554 5.2.0 STOREDRV.Submission SendAsDenied (https://github.com/jstedfast/MailKit/issues/1176), and 550 5.7.60 when
 * MAIL FROM is an address it may not send as
 * (https://learn.microsoft.com/exchange/mail-flow-best-practices/fix-issues-with-printers-scanners-and-lob-applications-that-send-email-using-off).
 */
export const NO_SEND_PERMISSION = /\b4\.2\.0 STOREDRV|mailbox logon failure|SendAsDenied|\b5\.7\.60\b/i;

/** Code texts, by code, of a refused app-only SMTP login or submission. */
export const APP_SMTP_CODES = {
  APP_NOT_REGISTERED: {
    message:
      'Exchange refused the app-only SMTP login ("{authLine}") although the token holds SMTP.SendAsApp: the app\'s service principal is not ' +
      "registered in Exchange, or was registered with the app registration's object id ({appObjectId}) instead of the enterprise application's ({spObjectId}).",
    remediation:
      'Connect-ExchangeOnline; Get-ServicePrincipal | Where-Object AppId -eq "{clientId}" | Format-List ObjectId. If it is missing, or shows {appObjectId} ' +
      'instead of {spObjectId}, remove the wrong one with Remove-ServicePrincipal and run: New-ServicePrincipal -AppId {clientId} -ObjectId {spObjectId} -DisplayName "m365-doctor connector"; ' +
      'Add-MailboxPermission -Identity {mailbox} -User {spObjectId} -AccessRights FullAccess',
  },
  APP_SEND_DENIED: {
    message:
      'Exchange accepted the app-only login but refused to submit as {mailbox} ("{response}"): the app\'s service principal has no FullAccess or Send As on the mailbox, ' +
      'and no RBAC for Applications assignment whose scope covers it.',
    remediation:
      'Connect-ExchangeOnline; Add-MailboxPermission -Identity {mailbox} -User {spObjectId} -AccessRights FullAccess. ' +
      'Or, to limit the app to chosen mailboxes with RBAC for Applications (this one here; widen the filter for more): ' +
      'New-ManagementScope -Name "m365-doctor connector mailboxes" -RecipientRestrictionFilter "PrimarySmtpAddress -eq \'{mailbox}\'"; ' +
      'New-ManagementRoleAssignment -Name "m365-doctor connector SMTP" -App {clientId} -Role "Application SMTP.SendAsApp" -CustomResourceScope "m365-doctor connector mailboxes". ' +
      'Check with Test-ServicePrincipalAuthorization -Identity {spObjectId} -Resource {mailbox}',
  },
} satisfies Record<string, CodeText>;
