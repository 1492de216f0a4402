// The check plugin contract: metadata next to one run(context) function.
import type { CheckResult } from './result.js';
import type { ResolvedConfig } from '../config/types.js';
import type { Clients } from '../clients/types.js';
import type { Logger } from './log.js';

export type Status = 'pass' | 'warn' | 'fail' | 'skip' | 'error';
export const STATUSES: readonly Status[] = ['pass', 'warn', 'fail', 'skip', 'error'];

/** Closed set of reasons a check did not decide; each maps to one sentence in reports. */
export type SkipReason =
  | 'dependency-failed' // a check it depends on failed, errored or was skipped
  | 'not-selected' // --only / --skip
  | 'not-applicable' // e.g. pop-login when read-pop is not an activity
  | 'needs-directory-reader' // no --admin credential to read the directory
  | 'needs-flag' // a writing action that needs an explicit flag (--send-test-mail)
  | 'accepted-exception'; // config `exceptions` entry

export type Category = 'config' | 'entra' | 'token' | 'graph' | 'exchange';
/** Every category, in report order. */
export const CATEGORIES: readonly Category[] = ['config', 'entra', 'token', 'graph', 'exchange'];

/** A message/remediation pair; `{name}` placeholders are filled from Outcome.data. */
export interface CodeText {
  message: string;
  remediation?: string;
}

export interface CheckMeta<Code extends string = string> {
  /** Stable public id; equals the file name in checks/. */
  id: string;
  title: string;
  category: Category;
  /** Hard dependencies: this check is skipped unless each of them passed or warned. */
  dependsOn: readonly string[];
  /**
   * Optional (additive): the part of dependsOn that gates this check under a configuration (e.g. the logins need
   * the ROPC token, or in the app-only profile the app's credentials). The rest still orders. Default: dependsOn.
   */
  hardDependencies?(config: ResolvedConfig): readonly string[];
  /** Soft ordering: run after these and read their results through upstream(), whatever their status. */
  after?: readonly string[];
  /**
   * Checks whose results this one may read through settled(), without waiting for them to start or finish first:
   * for results needed only on some paths (e.g. to explain a failure), so they do not lengthen the run.
   */
  consults?: readonly string[];
  /**
   * Optional (additive): what an Entra refusal (an answer with an AADSTS code) thrown by run() means. 'fail': the
   * check's finding, reported as fail with that code and Entra's answer as evidence (src/runner/entra-refusal.ts), for checks
   * whose point is an Entra sign-in. Default 'error': the check could not decide.
   */
  entraRefusal?: 'fail' | 'error';
  /** One paragraph: what the check proves and why a connector needs it. */
  description: string;
  /** Filled in by defineCheck from the id. */
  docsUrl: string;
  /** Every code the check may report, pass codes included. */
  codes: Record<Code, CodeText>;
}

export interface Outcome<Code extends string = string> {
  status: Exclude<Status, 'error'>;
  /** A declared code, or an Entra AADSTS code (rendered from the shared AADSTS table). */
  code: Code | `AADSTS${number}`;
  data?: Record<string, string | number | undefined>;
  evidence?: Record<string, Evidence | undefined>;
  skipReason?: SkipReason;
  /**
   * Id of the check whose finding explains this one (a symptom pointing at its root cause), decided by the check
   * that consulted it, e.g. a refused login caused by `user-license`. Absent: this result is its own cause.
   */
  causedBy?: string;
}

export type Evidence = string | number | boolean | null | string[];

export interface CheckContext {
  config: ResolvedConfig;
  clients: Clients;
  /**
   * Result of a check listed in dependsOn or after, or in consults once it has settled;
   * undefined when that check is not in this run.
   */
  upstream(id: string): CheckResult | undefined;
  /**
   * Final result of a check listed in dependsOn, after or consults, once it has settled; undefined at once when
   * that check is not in this run or not listed. The wait does not count toward this check's time limit.
   */
  settled(id: string): Promise<CheckResult | undefined>;
  signal: AbortSignal;
  log: Logger;
}

/** What prepare() gets: the run's config and clients. No results: nothing has run yet. */
export interface PrepareContext {
  config: ResolvedConfig;
  clients: Clients;
  log: Logger;
}

export interface Check<Code extends string = string> {
  meta: CheckMeta<Code>;
  run(ctx: CheckContext): Promise<Outcome<Code>>;
  /**
   * Optional (additive). Called once at run start for every check selected to run, before its dependencies
   * settle, to start slow work that needs no upstream result (e.g. pre-connect a mail server while tokens are
   * fetched). Must return at once; a throw is ignored. It may not decide anything: run() still does.
   */
  prepare?(ctx: PrepareContext): void;
}

export const DOCS_BASE = 'https://github.com/m365-doctor/m365-doctor/blob/main/docs/checks';

export function defineCheck<Code extends string>(c: {
  meta: Omit<CheckMeta<Code>, 'docsUrl'>;
  run(ctx: CheckContext): Promise<Outcome<NoInfer<Code>>>;
  prepare?(ctx: PrepareContext): void;
}): Check<Code> {
  const check: Check<Code> = { meta: { ...c.meta, docsUrl: `${DOCS_BASE}/${c.meta.id}.md` }, run: c.run };
  if (c.prepare) check.prepare = c.prepare;
  return check;
}
