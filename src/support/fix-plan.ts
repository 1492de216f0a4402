// What the fix script will hold: for each problem of a report, its remediation split into notes and commands,
// with each command marked as one to run, an alternative, a repeat of an earlier block, or one to check by hand.
import { splitRemediation } from '../../reporters/report-text.js';
import type { Status } from '../core/check.js';
import type { CheckResult, RunReport } from '../core/result.js';
import { cmdletOf, expandAliases, unsafeCommandReason } from './powershell-syntax.js';
import { trustedRemediation, type RemediationCatalog } from './trusted-remediation.js';

export type FixLine =
  | { kind: 'note'; text: string }
  | { kind: 'run'; command: string }
  | { kind: 'alternative'; command: string }
  | { kind: 'repeat'; command: string; firstFor: string }
  | { kind: 'review'; command: string; why: string };

export interface FixBlock {
  check: CheckResult;
  lines: FixLine[];
  /** True when the remediation has no command at all: the block is portal steps in comments. */
  portalOnly: boolean;
}

export interface FixPlan {
  blocks: FixBlock[];
  /** Findings the configuration accepts (skip accepted-exception): listed, not fixed. */
  accepted: CheckResult[];
  /** Graph permissions the commands to run need, for Connect-MgGraph -Scopes. */
  graphScopes: string[];
  needsGraph: boolean;
  needsExchange: boolean;
}

/** Checks the script fixes: what fails the run, and warnings, which --fail-on warn fails too. */
const TO_FIX: ReadonlySet<Status> = new Set(['fail', 'error', 'warn']);

/** Delegated Graph permission each command family needs (least privilege that can make the change). */
const GRAPH_SCOPES: [RegExp, string][] = [
  [/^MgUserLicense$/, 'LicenseAssignment.ReadWrite.All'],
  [/^MgUser/, 'User.ReadWrite.All'],
  [/^Mg(ServicePrincipal|Application)/, 'Application.ReadWrite.All'],
  [
    /^MgPolicy(HomeRealmDiscovery|TokenLifetime|TokenIssuance|ClaimMapping)/,
    'Policy.ReadWrite.ApplicationConfiguration',
  ],
  [/^MgOauth2PermissionGrant/, 'DelegatedPermissionGrant.ReadWrite.All'],
  [/^MgIdentityConditionalAccess/, 'Policy.ReadWrite.ConditionalAccess'],
];

export function planFixes(report: RunReport, catalog: RemediationCatalog): FixPlan {
  const seen = new Map<string, string>();
  const scopes = new Set<string>();
  let needsGraph = false;
  let needsExchange = false;
  const blocks: FixBlock[] = [];
  for (const check of report.checks.filter((c) => TO_FIX.has(c.status))) {
    const lines: FixLine[] = [];
    let hadCommands = false;
    let alternative = false;
    const trusted = trustedRemediation(check, catalog);
    if ('untrusted' in trusted) {
      lines.push({
        kind: 'note',
        text: `Not turned into commands: ${trusted.untrusted}. The report says: ${check.remediation}`,
      });
    }
    const remediation = 'remediation' in trusted ? trusted.remediation : '';
    for (const part of remediation ? splitRemediation(remediation) : []) {
      if (part.kind === 'text') {
        // "Or for the tenant: X" after a command offers X instead of what came before, not on top of it.
        alternative = hadCommands && /^or\b/i.test(part.text);
        lines.push({ kind: 'note', text: part.text });
        continue;
      }
      for (const raw of part.lines) {
        const command = expandAliases(raw);
        const cmdlet = cmdletOf(command) ?? '';
        // Each connection is made once, at the top of the script.
        if (/^(Connect|Disconnect)-(ExchangeOnline|MgGraph)$/.test(cmdlet)) {
          hadCommands = true;
          continue;
        }
        const why = unsafeCommandReason(command);
        if (why) {
          lines.push({ kind: 'review', command, why });
          continue;
        }
        hadCommands = true;
        const firstFor = seen.get(command);
        if (firstFor) {
          lines.push({ kind: 'repeat', command, firstFor });
          continue;
        }
        seen.set(command, check.id);
        lines.push(alternative ? { kind: 'alternative', command } : { kind: 'run', command });
        // An alternative is commented out, but its connection is made anyway so it runs once uncommented.
        const noun = cmdlet.split('-')[1] ?? '';
        if (noun.startsWith('Mg')) {
          needsGraph = true;
          const scope = GRAPH_SCOPES.find(([re]) => re.test(noun))?.[1];
          if (scope) scopes.add(scope);
        } else needsExchange = true;
      }
    }
    blocks.push({ check, lines, portalOnly: 'remediation' in trusted && !lines.some((l) => l.kind !== 'note') });
  }
  return {
    blocks,
    accepted: report.checks.filter((c) => c.skipReason === 'accepted-exception'),
    graphScopes: [...scopes].sort(),
    needsGraph,
    needsExchange,
  };
}
