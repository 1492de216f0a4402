// Which result of a run tells whether a step of the ROPC -> app-only migration is already done. One table: each
// requirement lists the checks that can tell, in order; the first that can decides. A check absent from the report
// (not run, an older version, a check added later) leaves the requirement "unknown", with the reason.
// Only a result's status, code and structured evidence are read, never its text: a saved report is someone else's file.
import type { CheckResult } from '../core/result.js';

export type Mark = 'satisfied' | 'todo' | 'unknown';

/** What one check found about one requirement; `evidence` is built here from constants and checked values only. */
export interface Finding {
  mark: 'satisfied' | 'todo';
  evidence: string;
}

export interface ReadContext {
  /** Connector profile of the run: logins of the vendor and delegated profiles use the user's token, not the app's. */
  profile: string;
  /** Exchange application permissions the connector's activities need (IMAP.AccessAsApp, POP.AccessAsApp, SMTP.SendAsApp). */
  neededRoles: readonly string[];
}

/** A finding, or why this result cannot tell. */
type Reader = (result: CheckResult, ctx: ReadContext) => Finding | string;

export interface EvidenceSource {
  check: string;
  /** Only a run with the app-only profile made this check use the app's token. */
  appOnlyProfile?: boolean;
  read: Reader;
}

export type Requirement = 'exchange-roles' | 'exchange-service-principal' | 'mailbox-read' | 'mailbox-send';

const done = (evidence: string): Finding => ({ mark: 'satisfied', evidence });
const todo = (evidence: string): Finding => ({ mark: 'todo', evidence });

/** The roles claim of the app-only Exchange token (app-roles-exchange evidence.roles) against what is needed. */
const tokenRoles: Reader = (r, ctx) => {
  const roles = r.evidence.roles;
  if (!Array.isArray(roles)) return `${r.id} read no roles claim (${describe(r)})`;
  const held = new Set(roles.map(String));
  const missing = ctx.neededRoles.filter((role) => !held.has(role));
  const has = ctx.neededRoles.filter((role) => held.has(role));
  if (!missing.length) return done(`${r.id}: the app-only Exchange token carries ${has.join(', ')}`);
  return todo(
    `${r.id}: the app-only Exchange token lacks ${missing.join(', ')}${has.length ? ` (it carries ${has.join(', ')})` : ''}`,
  );
};

/** exchange-app-access (vendor profile): IMAP/POP login with the app-only token. */
const appLoginRegistered: Reader = (r) => {
  if (r.code === 'APP_ACCESS_OK') return done(`${r.id} ${r.code}: Exchange accepted the app-only token`);
  if (['NO_MAILBOX_PERMISSION', 'IMAP_DISABLED_FOR_MAILBOX', 'POP_DISABLED_FOR_MAILBOX'].includes(r.code ?? '')) {
    return done(`${r.id} ${r.code}: the app signed in, so Exchange knows its service principal`);
  }
  if (r.code === 'EXCHANGE_SP_NOT_REGISTERED') return todo(`${r.id} ${r.code}: Exchange refused the app-only token`);
  return cannotTell(r);
};
const appLoginMailbox: Reader = (r) => {
  if (r.code === 'APP_ACCESS_OK') return done(`${r.id} ${r.code}: the app opened the mailbox`);
  if (r.code === 'NO_MAILBOX_PERMISSION')
    return todo(`${r.id} ${r.code}: the app signed in but could not open the mailbox`);
  // No mailbox right can name a service principal Exchange does not know.
  if (r.code === 'EXCHANGE_SP_NOT_REGISTERED')
    return todo(`${r.id} ${r.code}: no mailbox right can name an app Exchange does not know`);
  return cannotTell(r);
};

/** imap-login / pop-login in the app-only profile: the connector's own read with the app-only token. */
const readLoginRegistered: Reader = (r) => {
  if (r.code === 'LOGIN_OK' || r.code === 'APP_MAILBOX_NOT_OPENED')
    return done(`${r.id} ${r.code}: the app signed in with its app-only token`);
  if (r.code === 'APP_NOT_REGISTERED') return todo(`${r.id} ${r.code}: Exchange refused the app-only token`);
  return cannotTell(r);
};
const readLoginMailbox: Reader = (r) => {
  if (r.code === 'LOGIN_OK') return done(`${r.id} ${r.code}: the app opened the mailbox`);
  if (r.code === 'APP_NOT_REGISTERED')
    return todo(`${r.id} ${r.code}: no mailbox right can name an app Exchange does not know`);
  // "Not connected" is missing FullAccess or the protocol switch: the wire cannot tell them apart.
  return cannotTell(r);
};

/**
 * An app-only SMTP login's structured evidence (src/diagnose/app-smtp.ts): exchange-app-smtp in the vendor profile,
 * smtp-login in the app-only profile. servicePrincipalRegistered is true (Exchange accepted the token), false (it
 * refused a token holding SMTP.SendAsApp) or null (the login cannot tell).
 */
const appSmtpRegistered: Reader = (r) => {
  const registered = r.evidence.servicePrincipalRegistered;
  if (registered === true) return done(`${r.id} ${r.code}: Exchange accepted the app-only token for SMTP AUTH`);
  if (registered === false)
    return todo(`${r.id} ${r.code}: Exchange refused an app-only token that holds SMTP.SendAsApp`);
  return cannotTell(r);
};
/**
 * The same evidence on SMTP.SendAsApp, where it alone can tell: when sending is the only activity that needs a role.
 * An accepted login without the role in the token shows Exchange granting it through RBAC for Applications.
 */
const appSmtpRole: Reader = (r, ctx) => {
  const holds = r.evidence.holdsSendAsApp;
  if (typeof holds !== 'boolean') return cannotTell(r);
  if (ctx.neededRoles.some((role) => role !== 'SMTP.SendAsApp'))
    return `${r.id} shows SMTP.SendAsApp only, not ${ctx.neededRoles.filter((role) => role !== 'SMTP.SendAsApp').join(', ')}`;
  if (holds) return done(`${r.id}: the app-only Exchange token carries SMTP.SendAsApp`);
  if (r.evidence.servicePrincipalRegistered === true)
    return done(
      `${r.id} ${r.code}: Exchange accepted the app-only SMTP login without SMTP.SendAsApp in the token (RBAC for Applications grants it)`,
    );
  return todo(`${r.id}: the app-only Exchange token lacks SMTP.SendAsApp`);
};
/** smtp-send (--send-test-mail) in the app-only profile: only sending proves the right to send as the mailbox. */
const sendAs: Reader = (r) => {
  const permission = r.evidence.mailboxPermission;
  if (permission === 'proven') return done(`${r.id} ${r.code}: Exchange accepted a test mail sent by the app`);
  if (permission === 'denied') return todo(`${r.id} ${r.code}: Exchange refused to let the app send as the mailbox`);
  if (r.code === 'NEEDS_FLAG')
    return `${r.id} did not send (only sending proves Send As: re-run with --send-test-mail)`;
  return cannotTell(r);
};

/**
 * The evidence table. Order matters: the first source that can tell decides. A new check that can tell (an app-only
 * SMTP check, say) is one more row here.
 */
export const EVIDENCE: Record<Requirement, readonly EvidenceSource[]> = {
  'exchange-roles': [
    { check: 'app-roles-exchange', read: tokenRoles },
    { check: 'exchange-app-smtp', read: appSmtpRole },
    { check: 'smtp-login', appOnlyProfile: true, read: appSmtpRole },
  ],
  'exchange-service-principal': [
    { check: 'exchange-app-access', read: appLoginRegistered },
    { check: 'exchange-app-smtp', read: appSmtpRegistered },
    { check: 'imap-login', appOnlyProfile: true, read: readLoginRegistered },
    { check: 'pop-login', appOnlyProfile: true, read: readLoginRegistered },
    { check: 'smtp-login', appOnlyProfile: true, read: appSmtpRegistered },
  ],
  'mailbox-read': [
    { check: 'exchange-app-access', read: appLoginMailbox },
    { check: 'imap-login', appOnlyProfile: true, read: readLoginMailbox },
    { check: 'pop-login', appOnlyProfile: true, read: readLoginMailbox },
  ],
  'mailbox-send': [{ check: 'smtp-send', appOnlyProfile: true, read: sendAs }],
};

export interface Judgement {
  mark: Mark;
  evidence: string;
}

/**
 * RBAC for Applications: a token lacking only SMTP.SendAsApp is no step to do when the app-only SMTP login with it
 * was accepted (smtp-login in the app-only profile): Exchange grants sending through a scoped role assignment, and
 * Microsoft advises against also consenting the unscoped permission
 * (https://learn.microsoft.com/exchange/client-developer/legacy-protocols/smtp-app-rbac-onboarding).
 */
export function sendRoleByRbac(j: Judgement, checks: readonly CheckResult[], ctx: ReadContext): Judgement {
  if (j.mark !== 'todo' || ctx.profile !== 'app-only') return j;
  const roles = checks.find((c) => c.id === 'app-roles-exchange')?.evidence.roles;
  const login = checks.find((c) => c.id === 'smtp-login');
  if (!Array.isArray(roles) || !login) return j;
  const lacking = ctx.neededRoles.filter((role) => !roles.map(String).includes(role));
  if (lacking.length !== 1 || lacking[0] !== 'SMTP.SendAsApp') return j;
  if (login.evidence.holdsSendAsApp !== false || login.evidence.servicePrincipalRegistered !== true) return j;
  return {
    mark: 'satisfied',
    evidence: `${j.evidence}; ${login.id} ${describe(login)}: Exchange accepted the app-only SMTP login without it, so RBAC for Applications grants sending (do not also consent the unscoped SMTP.SendAsApp)`,
  };
}

/** The requirement's mark from the report's results: the first source that can tell, else unknown with every reason. */
export function judge(
  requirement: Requirement,
  checks: readonly CheckResult[],
  ctx: ReadContext,
  table: Record<Requirement, readonly EvidenceSource[]> = EVIDENCE,
): Judgement {
  const reasons: string[] = [];
  const userToken: string[] = [];
  for (const source of table[requirement]) {
    const result = checks.find((c) => c.id === source.check);
    if (!result) {
      reasons.push(`${source.check} is not in the report`);
      continue;
    }
    if (source.appOnlyProfile && ctx.profile !== 'app-only') {
      userToken.push(source.check);
      continue;
    }
    const found = source.read(result, ctx);
    if (typeof found !== 'string') return found;
    reasons.push(found);
  }
  if (userToken.length) {
    reasons.push(
      `${userToken.join(', ')} ran with the ${ctx.profile} profile (the user's token), so ${userToken.length > 1 ? 'they say' : 'it says'} nothing about the app`,
    );
  }
  return { mark: 'unknown', evidence: reasons.join('; ') };
}

function cannotTell(r: CheckResult): string {
  return `${r.id} ${describe(r)} does not tell`;
}

/** "skip NOT_IN_PROFILE": status and code only, the code checked for shape (the message is never shown). */
function describe(r: CheckResult): string {
  const status = ['pass', 'warn', 'fail', 'skip', 'error'].includes(r.status) ? r.status : 'unknown status';
  return r.code && /^[A-Z][A-Z0-9_]{0,63}$/.test(r.code) ? `${status} ${r.code}` : status;
}
