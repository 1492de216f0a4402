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

type Value = keyof typeof PLACEHOLDERS;
type Filled = Record<Value, string>;

/** Each command: the values it needs, and its template. */
const TEMPLATES: {
  [K in keyof MigrationCommands]-?: { needs: Value[]; text: (v: Filled) => MigrationCommands[K] & {} };
} = {
  showServicePrincipal: {
    needs: ['appId'],
    text: ({ appId }) =>
      `Get-ServicePrincipal | Where-Object AppId -eq '${appId}' | Format-List AppId, ObjectId, DisplayName`,
  },
  newServicePrincipal: {
    needs: ['appId', 'spObjectId'],
    text: ({ appId, spObjectId }) => `New-ServicePrincipal -AppId ${appId} -ObjectId ${spObjectId}`,
  },
  fullAccess: {
    needs: ['mailbox', 'spObjectId'],
    text: ({ mailbox, spObjectId }) =>
      `Add-MailboxPermission -Identity ${mailbox} -User ${spObjectId} -AccessRights FullAccess`,
  },
  showFullAccess: {
    needs: ['mailbox', 'spObjectId'],
    text: ({ mailbox, spObjectId }) =>
      `Get-MailboxPermission -Identity ${mailbox} | Where-Object User -like '*${spObjectId}*'`,
  },
  sendAs: {
    needs: ['mailbox', 'spObjectId'],
    text: ({ mailbox, spObjectId }) =>
      `Add-RecipientPermission -Identity ${mailbox} -Trustee ${spObjectId} -AccessRights SendAs -Confirm:$false`,
  },
  rbac: {
    needs: ['appId', 'mailbox'],
    text: ({ appId, mailbox }) => [
      `New-ManagementScope -Name '${SCOPE_NAME}' -RecipientRestrictionFilter "PrimarySmtpAddress -eq '${mailbox}'"`,
      `New-ManagementRoleAssignment -App ${appId} -Role 'Application SMTP.SendAsApp' -CustomResourceScope '${SCOPE_NAME}'`,
    ],
  },
  testRbac: {
    needs: ['appId', 'mailbox'],
    text: ({ appId, mailbox }) => `Test-ServicePrincipalAuthorization -Identity ${appId} -Resource ${mailbox}`,
  },
};

/** Each command whose values the report has (with placeholders: every command, the missing values shown as such). */
function fill(v: PlanValues, placeholders: boolean): MigrationCommands {
  const known: Partial<Filled> = { appId: v.appId, spObjectId: v.spObjectId, mailbox: v.mailbox };
  const values = Object.fromEntries(
    (Object.keys(PLACEHOLDERS) as Value[]).map((k) => [k, known[k] ?? PLACEHOLDERS[k]]),
  ) as Filled;
  const out: Record<string, string | string[]> = {};
  for (const [key, t] of Object.entries(TEMPLATES) as [string, (typeof TEMPLATES)[keyof MigrationCommands]][])
    if (placeholders || t.needs.every((n) => known[n])) out[key] = t.text(values);
  return { ...out, rbac: (out.rbac as string[] | undefined) ?? [] };
}

/** The commands whose values the report has; the others are absent (rbac: empty). */
export function migrationCommands(v: PlanValues): MigrationCommands {
  const commands = fill(v, false);
  // The values were checked by shape, so this never fires; it keeps a future template honest.
  for (const line of [...Object.values(commands).flat()]) {
    const why = typeof line === 'string' ? unsafeCommandReason(line) : undefined;
    if (why) throw new Error(`migration command template is not a plain cmdlet call (${why}): ${line}`);
  }
  return commands;
}

/** Every command for the plan's text: the report's values where it has them, placeholders elsewhere. */
export function commandsToShow(v: PlanValues): Required<MigrationCommands> {
  return fill(v, true) as Required<MigrationCommands>;
}
