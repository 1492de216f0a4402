// The Exchange Online PowerShell of the migration plan: m365-doctor's own templates, filled only with values the plan
// checked by shape (GUID, UPN). A template whose value is missing yields no command; every command is re-checked
// with the fix script's syntax guard before it may be printed as code.
import type { PlanValues } from './migration-values.js';
import { unsafeCommandReason } from './powershell-syntax.js';

/** Name of the management scope the RBAC alternative creates (a constant: never from a report). */
export const SCOPE_NAME = 'Mail connector mailboxes';

export interface MigrationCommands {
  /** Read-only: how Exchange knows the app now (missing, or registered with the app registration's object id). */
  showServicePrincipal?: string;
  newServicePrincipal?: string;
  fullAccess?: string;
  showFullAccess?: string;
  sendAs?: string;
  /** RBAC for Applications, limited to the connector's mailbox (SMTP: role "Application SMTP.SendAsApp"). */
  rbac: string[];
  testRbac?: string;
}

export function migrationCommands(v: PlanValues): MigrationCommands {
  const { appId, spObjectId: sp, mailbox } = v;
  const rbac =
    appId && mailbox
      ? [
          `New-ManagementScope -Name '${SCOPE_NAME}' -RecipientRestrictionFilter "PrimarySmtpAddress -eq '${mailbox}'"`,
          `New-ManagementRoleAssignment -App ${appId} -Role 'Application SMTP.SendAsApp' -CustomResourceScope '${SCOPE_NAME}'`,
        ]
      : [];
  const commands: MigrationCommands = {
    showServicePrincipal: appId
      ? `Get-ServicePrincipal | Where-Object AppId -eq '${appId}' | Format-List AppId, ObjectId, DisplayName`
      : undefined,
    newServicePrincipal: appId && sp ? `New-ServicePrincipal -AppId ${appId} -ObjectId ${sp}` : undefined,
    fullAccess:
      mailbox && sp ? `Add-MailboxPermission -Identity ${mailbox} -User ${sp} -AccessRights FullAccess` : undefined,
    showFullAccess:
      mailbox && sp ? `Get-MailboxPermission -Identity ${mailbox} | Where-Object User -like '*${sp}*'` : undefined,
    sendAs:
      mailbox && sp
        ? `Add-RecipientPermission -Identity ${mailbox} -Trustee ${sp} -AccessRights SendAs -Confirm:$false`
        : undefined,
    rbac,
    testRbac:
      appId && mailbox ? `Test-ServicePrincipalAuthorization -Identity ${appId} -Resource ${mailbox}` : undefined,
  };
  // The values were checked by shape, so this never fires; it keeps a future template honest.
  for (const line of [...Object.values(commands).flat()]) {
    const why = typeof line === 'string' ? unsafeCommandReason(line) : undefined;
    if (why) throw new Error(`migration command template is not a plain cmdlet call (${why}): ${line}`);
  }
  return commands;
}
