// `m365-doctor migrate --to app-only` as text: the five steps, each with its mark, the evidence behind the mark,
// how to do it with this tenant's values, and Microsoft's page for it. Built from the plan only (no report text).
import { EXCHANGE_APP_ID } from '../m365/permissions.js';
import { commandsToShow } from './migration-commands.js';
import { SOURCES, type MigrationPlan, type PlanStep, type StepId } from './migration-plan.js';
import { adminConsentUrl, appOnlyScope, PLACEHOLDERS } from './migration-values.js';
import type { Mark } from './migration-evidence.js';

export const MARK_TEXT: Record<Mark, string> = { satisfied: 'already satisfied', todo: 'to do', unknown: 'unknown' };

const WIDTH = 100;

export function migrationPlanText(plan: MigrationPlan): string {
  const v = plan.values;
  const out = [
    'm365-doctor migration plan: password grant (ROPC) -> app-only (client credentials)',
    `Tenant: ${v.tenant ?? '(none in the report)'}${v.tenantId && v.tenantId !== v.tenant ? ` (id ${v.tenantId})` : ''}, ${v.cloud} cloud`,
    `App (client id): ${v.appId ?? '(none in the report)'}`,
    `Enterprise application (service principal) object id: ${v.spObjectId ?? '(not in the report)'}`,
    `Mailbox: ${v.mailbox ?? '(none in the report)'}; activities: ${v.activities.join(', ') || 'none'}`,
    `From the run started ${plan.startedAt ?? '(unknown)'} with the ${plan.profile} profile. Nothing was changed and nothing here runs.`,
    '',
  ];
  plan.steps.forEach((s, i) => out.push(...renderStep(i + 1, s, plan), ''));
  const count = (m: Mark) => plan.steps.filter((s) => s.mark === m).length;
  out.push(`Steps: ${count('satisfied')} already satisfied, ${count('todo')} to do, ${count('unknown')} unknown.`);
  return `${out.join('\n')}\n`;
}

function renderStep(n: number, s: PlanStep, plan: MigrationPlan): string[] {
  const out = [`${n}. [${MARK_TEXT[s.mark]}] ${s.title}`];
  const [only] = s.parts;
  if (only && s.parts.length === 1)
    out.push(...wrap(`${only.mark === 'unknown' ? 'Why unknown' : 'Evidence'}: ${only.evidence}.`, '   '));
  else
    for (const p of s.parts) out.push(...wrap(`- ${p.label}: ${MARK_TEXT[p.mark]} (${p.evidence}).`, '   ', '     '));
  for (const line of howTo(s.id, plan))
    out.push(...(typeof line === 'string' ? wrap(line, '   ') : [`      ${line.command}`]));
  return out;
}

/** How to do a step, with this tenant's values; commands are the plan's own templates (migration-commands.ts). */
export type HowLine = string | { command: string };

export function howTo(id: StepId, plan: MigrationPlan): HowLine[] {
  const v = plan.values;
  const c = commandsToShow(v);
  switch (id) {
    case 'permissions': {
      const consent = adminConsentUrl(v);
      return [
        `How: Entra admin center > App registrations > ${v.appId ?? 'the app'} > API permissions > Add a permission > APIs my organization uses > ` +
          `Office 365 Exchange Online (appId ${EXCHANGE_APP_ID}) > Application permissions > ${plan.neededRoles.join(', ') || '(none)'}; ` +
          `then "Grant admin consent" for the tenant${consent ? `, or as an administrator open ${consent}` : ''}.`,
        `Source: ${SOURCES.oauth}`,
      ];
    }
    case 'service-principal':
      return [
        'How, in Exchange Online PowerShell (Connect-ExchangeOnline):',
        { command: c.newServicePrincipal },
        `-ObjectId is the object id of the enterprise application (the service principal: Entra admin center > Enterprise applications > the app > Object ID)${v.spObjectId ? `, ${v.spObjectId}` : ''}; ` +
          `NOT the app registration's object id${v.appObjectId ? ` (${v.appObjectId})` : ''}: with that one Exchange refuses the app's token. ` +
          'See what Exchange has now; if it lists the app with another object id, remove that entry (Remove-ServicePrincipal) first:',
        { command: c.showServicePrincipal },
        `Source: ${SOURCES.oauth}`,
      ];
    case 'mailbox-access': {
      const reading = v.activities.some((a) => a === 'read-imap' || a === 'read-pop');
      const sending = v.activities.includes('send-smtp');
      return [
        ...(reading ? ['Reading (IMAP/POP), in Exchange Online PowerShell:', { command: c.fullAccess }] : []),
        ...(sending
          ? [
              'Sending (SMTP):',
              { command: c.sendAs },
              "Or, for sending, RBAC for Applications: a management scope limited to the connector's mailboxes and a role assignment for the app; " +
                "Microsoft's SMTP page for it grants the role by this assignment instead of the Entra API permission SMTP.SendAsApp, " +
                `so read it before also consenting SMTP.SendAsApp in step 1 (Sources: ${SOURCES.rbac} and ${SOURCES.smtpRbac}):`,
              ...c.rbac.map((command) => ({ command })),
              { command: c.testRbac },
            ]
          : []),
        `Source: ${SOURCES.oauth}${sending ? ` (Send As: ${SOURCES.sendAs})` : ''}`,
      ];
    }
    case 'connector':
      return [
        `How: request the token with the client credentials grant (client id ${v.appId ?? PLACEHOLDERS.appId} and the client secret or a certificate, ` +
          `no user and no password) and the scope ${appOnlyScope(v.cloud)}; log in with XOAUTH2 user=${v.mailbox ?? PLACEHOLDERS.mailbox} and that token. ` +
          'Remove the stored user password once the connector works.',
        `Sources: ${SOURCES.clientCredentials} and ${SOURCES.oauth}`,
      ];
    case 'verify':
      return [
        'Run:',
        { command: plan.verifyCommand },
        ...(plan.overriddenEndpoints.length
          ? [
              `The run used other endpoints than the ${v.cloud} cloud's: add the same ${plan.overriddenEndpoints.join(', ')}.`,
            ]
          : []),
        'The client secret comes from M365_DOCTOR_CLIENT_SECRET, --client-secret-stdin or the hidden prompt, never the command line.',
      ];
  }
}

/** Lines of at most WIDTH columns (a URL or command longer than that stays whole). */
function wrap(text: string, indent: string, next = indent): string[] {
  const lines: string[] = [];
  let cur = indent;
  for (const word of text.split(' ').filter(Boolean)) {
    if (cur.length + 1 + word.length > WIDTH && cur.trim()) {
      lines.push(cur);
      cur = next;
    }
    cur += cur.trim() ? ` ${word}` : word;
  }
  if (cur.trim()) lines.push(cur);
  return lines;
}
