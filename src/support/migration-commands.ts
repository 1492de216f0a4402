// The Exchange Online PowerShell of the migration plan: m365-doctor's own templates, filled only with values the plan
// checked by shape (GUID, UPN). A template whose value is missing yields no command; every command is re-checked
// with the fix script's syntax guard before it may be printed as code. The plan's text shows the same templates with
// placeholders where the report lacks a value (commandsToShow), so the two never drift apart.
import { PLACEHOLDERS, type PlanValues } from './migration-values.js';
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

/** Every command, filled with these values. */
function commandsFor({ appId, spObjectId, mailbox }: Record<keyof typeof PLACEHOLDERS, string>) {
  return {
    showServicePrincipal: `Get-ServicePrincipal | Where-Object AppId -eq '${appId}' | Format-List AppId, ObjectId, DisplayName`,
    newServicePrincipal: `New-ServicePrincipal -AppId ${appId} -ObjectId ${spObjectId}`,
    fullAccess: `Add-MailboxPermission -Identity ${mailbox} -User ${spObjectId} -AccessRights FullAccess`,
    showFullAccess: `Get-MailboxPermission -Identity ${mailbox} | Where-Object User -like '*${spObjectId}*'`,
    sendAs: `Add-RecipientPermission -Identity ${mailbox} -Trustee ${spObjectId} -AccessRights SendAs -Confirm:$false`,
    rbac: [
      `New-ManagementScope -Name '${SCOPE_NAME}' -RecipientRestrictionFilter "PrimarySmtpAddress -eq '${mailbox}'"`,
      `New-ManagementRoleAssignment -App ${appId} -Role 'Application SMTP.SendAsApp' -CustomResourceScope '${SCOPE_NAME}'`,
    ],
    testRbac: `Test-ServicePrincipalAuthorization -Identity ${appId} -Resource ${mailbox}`,
  } satisfies Required<MigrationCommands>;
}

/** Every command for the plan's text: the report's values where it has them, placeholders elsewhere. */
export function commandsToShow(v: PlanValues): Required<MigrationCommands> {
  return commandsFor({
    appId: v.appId ?? PLACEHOLDERS.appId,
    spObjectId: v.spObjectId ?? PLACEHOLDERS.spObjectId,
    mailbox: v.mailbox ?? PLACEHOLDERS.mailbox,
  });
}

/**
 * The commands whose values the report has; the others are absent (rbac: empty). A command is complete when no
 * placeholder is left in it: the values were checked by shape (GUID, UPN), so none can hold a placeholder's "<".
 */
export function migrationCommands(v: PlanValues): MigrationCommands {
  const all = commandsToShow(v);
  const complete = (line: string) => !Object.values(PLACEHOLDERS).some((p) => line.includes(p));
  const commands: MigrationCommands = { rbac: all.rbac.every(complete) ? all.rbac : [] };
  for (const [key, line] of Object.entries(all))
    if (typeof line === 'string' && complete(line)) Object.assign(commands, { [key]: line });
  // The values were checked by shape, so this never fires; it keeps a future template honest.
  for (const line of [...Object.values(commands).flat()]) {
    const why = typeof line === 'string' ? unsafeCommandReason(line) : undefined;
    if (why) throw new Error(`migration command template is not a plain cmdlet call (${why}): ${line}`);
  }
  return commands;
}
