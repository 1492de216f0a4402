// The parts of a run's verdict every reporter shares: the root causes (each problem once, with the symptoms it
// explains) and the coverage (which checks did not run, and how to run them). Both are derived from the checks
// alone, so a saved version-1 report gets them too.
import type { SkipReason, Status } from '../core/check.js';
import type { CheckResult } from '../core/result.js';
import type { FailOn } from './exit-code.js';

export const PROBLEM_STATUSES: readonly Status[] = ['fail', 'error', 'warn'];
const isProblem = (s: Status) => s === 'fail' || s === 'error' || s === 'warn';

export interface RootCause {
  id: string;
  status: Status;
  title: string;
  code: string | null;
  message: string;
  remediation: string | null;
  docsUrl: string;
  /** Ids of the checks whose result this one explains (their causedBy leads here), in check order. */
  symptoms: string[];
}

/**
 * Each problem that no other problem explains, failures first, then errors, then warnings (check order within).
 * A symptom's causedBy is followed to its end; a link to a check that is missing or not a problem is ignored, so the
 * symptom stands as its own cause and is never hidden. Errors no check explains but with the same code and the same
 * fix (Graph throttling every read, one host timing out) are one cause: the first stands, the others are its symptoms.
 */
export function rootCauses(checks: readonly CheckResult[]): RootCause[] {
  const byId = new Map(checks.map((c) => [c.id, c]));
  const rootOf = (c: CheckResult) => rootOfProblem(c, byId);
  const symptoms = new Map<string, string[]>();
  const roots: CheckResult[] = [];
  const sameError = new Map<string, CheckResult>();
  for (const c of checks) {
    if (c.status === 'pass') continue;
    let root = rootOf(c);
    if (root === c && c.status === 'error' && c.code && c.remediation) {
      const key = `${c.code}\u0000${c.remediation}`;
      root = sameError.get(key) ?? c;
      sameError.set(key, root);
    }
    if (root !== c) symptoms.set(root.id, [...(symptoms.get(root.id) ?? []), c.id]);
    else if (isProblem(c.status)) roots.push(c);
  }
  return PROBLEM_STATUSES.flatMap((s) => roots.filter((c) => c.status === s)).map((c) => ({
    id: c.id,
    status: c.status,
    title: c.title,
    code: c.code ?? null,
    message: c.message,
    remediation: c.remediation ?? null,
    docsUrl: c.docsUrl,
    symptoms: symptoms.get(c.id) ?? [],
  }));
}

/** The root cause that explains a check, or undefined when the check is its own cause (or passed). */
export function causeOf(check: CheckResult, causes: readonly RootCause[]): RootCause | undefined {
  return causes.find((r) => r.symptoms.includes(check.id));
}

/** Skip reasons that leave part of the connector unchecked; not-applicable and accepted exceptions do not. */
export const NOT_RUN_REASONS: readonly SkipReason[] = [
  'needs-directory-reader',
  'needs-flag',
  'dependency-failed',
  'not-selected',
];

export interface NotRunGroup {
  /** Why these did not run; a dependency-failed check counts under its blocker's reason when that is a skip too. */
  reason: SkipReason;
  /** What to do to run them, e.g. "give --admin device-code or --admin-client-id". */
  howToRun: string;
  checks: string[];
}

export interface Coverage {
  notRun: number;
  groups: NotRunGroup[];
  /** "4 checks not run: give --admin device-code or --admin-client-id", or "" when every check that applies ran. */
  line: string;
}

export const ADMIN_HINT = 'give --admin device-code or --admin-client-id';

export function coverage(checks: readonly CheckResult[]): Coverage {
  const byId = new Map(checks.map((c) => [c.id, c]));
  const groups: NotRunGroup[] = [];
  const add = (reason: SkipReason, howToRun: string, id: string) => {
    const g = groups.find((x) => x.howToRun === howToRun);
    if (g) g.checks.push(id);
    else groups.push({ reason, howToRun, checks: [id] });
  };
  for (const c of checks) {
    if (c.status !== 'skip' || !c.skipReason || !NOT_RUN_REASONS.includes(c.skipReason)) continue;
    if (c.skipReason !== 'dependency-failed') {
      add(c.skipReason, direct(c), c.id);
      continue;
    }
    const block = blocker(c, byId);
    if (
      block.status === 'skip' &&
      block.skipReason &&
      block.skipReason !== 'dependency-failed' &&
      NOT_RUN_REASONS.includes(block.skipReason)
    ) {
      add(block.skipReason, direct(block), c.id);
    } else {
      add('dependency-failed', block === c ? 'fix the problems above first' : `fix ${block.id} first`, c.id);
    }
  }
  const order = (r: SkipReason) => NOT_RUN_REASONS.indexOf(r);
  groups.sort((a, b) => order(a.reason) - order(b.reason));
  const notRun = groups.reduce((n, g) => n + g.checks.length, 0);
  const [only, ...others] = groups;
  const line = !notRun
    ? ''
    : only && !others.length
      ? `${plural(notRun, 'check')} not run: ${only.howToRun}`
      : `${plural(notRun, 'check')} not run: ${groups.map((g) => `${g.howToRun} (${g.checks.length})`).join('; ')}`;
  return { notRun, groups, line };
}

function direct(c: CheckResult): string {
  switch (c.skipReason) {
    case 'needs-directory-reader':
      return ADMIN_HINT;
    case 'needs-flag': {
      // The check's own message names its flag (smtp-send: "pass --send-test-mail to allow it").
      const flag = /--[a-z][a-z-]+/.exec(c.message)?.[0];
      return flag ? `give ${flag}` : 'give the explicit flag its docs page names';
    }
    case 'not-selected':
      return 'run without --only/--skip';
    default:
      return 'fix the problems above first';
  }
}

/** What keeps a dependency-skipped check from running: its cause, or the first unmet dependency, followed down. */
function blocker(c: CheckResult, byId: Map<string, CheckResult>): CheckResult {
  const seen = new Set<string>();
  let cur = c;
  while (!seen.has(cur.id)) {
    seen.add(cur.id);
    const linked = cur.causedBy ? byId.get(cur.causedBy) : undefined;
    const dep =
      linked ?? cur.dependsOn.map((d) => byId.get(d)).find((d) => d && d.status !== 'pass' && d.status !== 'warn');
    if (!dep) return cur;
    if (isProblem(dep.status)) return rootOfProblem(dep, byId);
    if (dep.status !== 'skip' || dep.skipReason !== 'dependency-failed') return dep;
    cur = dep;
  }
  return cur;
}

/** A problem's root cause, following causedBy through problems (the same rule as rootCauses). */
function rootOfProblem(c: CheckResult, byId: Map<string, CheckResult>): CheckResult {
  const seen = new Set([c.id]);
  let cur = c;
  for (
    let next = cur.causedBy ? byId.get(cur.causedBy) : undefined;
    next && isProblem(next.status) && !seen.has(next.id);
    next = cur.causedBy ? byId.get(cur.causedBy) : undefined
  ) {
    seen.add(next.id);
    cur = next;
  }
  return cur;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Whether the run's exit code is 1 for these findings under --fail-on (the same rule as exitCodeFor). */
export function failsUnder(summary: Record<Status, number>, failOn: FailOn = 'fail'): boolean {
  return summary.fail > 0 || summary.error > 0 || (failOn === 'warn' && summary.warn > 0);
}
