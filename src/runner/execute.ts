// Runs one check under its time limit and turns whatever happens (outcome, throw, timeout) into a CheckResult.
import type { Check, CheckContext, Evidence, Outcome } from '../core/check.js';
import { entraEvidence, entraRefusalOutcome } from './entra-refusal.js';
import { EntraError, GraphError, NetError, NoDirectoryReaderError } from '../core/errors.js';
import type { Redactor } from '../core/redact.js';
import type { CheckResult } from '../core/result.js';
import { codeText, fillTemplate, renderCode, type TemplateData } from './render.js';
import { errorRemediation } from './error-remediation.js';
import { TimeLimit } from './time-limit.js';

/** Thrown into the check's signal when its time is up. */
export class CheckTimeoutError extends Error {
  override name = 'CheckTimeoutError';
  constructor(readonly ms: number) {
    super(`timed out after ${ms} ms`);
  }
}

export interface ExecuteOptions {
  timeoutMs: number;
  redactor: Redactor;
  /** Values every template may use ({tenant}, {clientId}, ...); outcome.data overrides them. */
  defaults: TemplateData;
  /** The run's own signal (Ctrl-C); aborts the check too. */
  signal?: AbortSignal;
}

export async function executeCheck(
  check: Check,
  ctx: Omit<CheckContext, 'signal'>,
  opts: ExecuteOptions,
): Promise<CheckResult> {
  const started = performance.now();
  const controller = new AbortController();
  const limit = new TimeLimit(opts.timeoutMs, () => controller.abort(new CheckTimeoutError(opts.timeoutMs)));
  // The consulted check runs under its own limit, so this wait is bounded; Ctrl-C still ends it through the signal.
  const settled: CheckContext['settled'] = (id) => limit.excluding(raceAbort(ctx.settled(id), controller.signal));
  const onParentAbort = () => controller.abort(opts.signal?.reason);
  if (opts.signal?.aborted) onParentAbort();
  else opts.signal?.addEventListener('abort', onParentAbort, { once: true });
  let partial: Omit<CheckResult, 'durationMs'>;
  try {
    const outcome = await raceAbort(check.run({ ...ctx, settled, signal: controller.signal }), controller.signal);
    partial = fromOutcome(check, outcome, opts);
  } catch (err) {
    partial = fromThrow(check, err, opts);
    // Every error says what to do next: from the check's own table, else the shared catalog (host, port, firewall).
    if (partial.status === 'error' && !partial.remediation) {
      const fix = errorRemediation(check, ctx.config, err, partial.code);
      if (fix) partial.remediation = opts.redactor.scrub(fillTemplate(fix, opts.defaults));
    }
  } finally {
    limit.clear();
    opts.signal?.removeEventListener('abort', onParentAbort);
  }
  return { ...partial, durationMs: Math.round(performance.now() - started) };
}

/** Resolves with the check's outcome, or rejects with the abort reason as soon as the signal fires. */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  // A check that ignores its signal keeps running in the background; its late result must not crash the process.
  work.catch(() => undefined);
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** The fields every result shares, in the order of the public JSON contract. */
export function baseResult(check: Check): Pick<CheckResult, 'id' | 'title' | 'category'> {
  return { id: check.meta.id, title: check.meta.title, category: check.meta.category };
}

function fromOutcome(check: Check, outcome: Outcome, opts: ExecuteOptions): Omit<CheckResult, 'durationMs'> {
  const { redactor } = opts;
  const status = outcome?.status;
  if (!['pass', 'warn', 'fail', 'skip'].includes(status)) {
    const result = errorResult(check, `check returned an invalid status "${String(status)}"`, 'INVALID_OUTCOME', opts);
    return { ...result, remediation: errorRemediation(check, undefined, undefined, 'INVALID_OUTCOME') };
  }
  const text = codeText(check.meta, outcome.code);
  if (!text) {
    const result = errorResult(
      check,
      `check reported code "${outcome.code}", which its metadata does not declare`,
      'UNDECLARED_CODE',
      opts,
    );
    return { ...result, remediation: errorRemediation(check, undefined, undefined, 'UNDECLARED_CODE') };
  }
  const rendered = renderCode(text, { ...opts.defaults, ...outcome.data });
  return {
    ...baseResult(check),
    status,
    message: redactor.scrub(rendered.message),
    code: outcome.code,
    remediation: rendered.remediation === undefined ? undefined : redactor.scrub(rendered.remediation),
    evidence: cleanEvidence(outcome.evidence, redactor),
    docsUrl: check.meta.docsUrl,
    skipReason: status === 'skip' ? (outcome.skipReason ?? 'not-applicable') : undefined,
    ...(outcome.causedBy ? { causedBy: outcome.causedBy } : {}),
    dependsOn: [...check.meta.dependsOn],
  };
}

function fromThrow(check: Check, err: unknown, opts: ExecuteOptions): Omit<CheckResult, 'durationMs'> {
  if (err instanceof CheckTimeoutError) return errorResult(check, err.message, 'TIMEOUT', opts);
  if (opts.signal?.aborted) return errorResult(check, 'interrupted before it finished', 'INTERRUPTED', opts);
  if (err instanceof NoDirectoryReaderError) {
    // The one place "no directory reader" becomes a skip: in the check's own words when it declares them.
    const skip = { status: 'skip', code: 'NEEDS_DIRECTORY_READER', skipReason: 'needs-directory-reader' } as const;
    if (codeText(check.meta, skip.code)) return fromOutcome(check, skip, opts);
    return {
      ...errorResult(check, 'Not checked: reading the directory needs a directory reader (--admin).', undefined, opts),
      status: 'skip',
      skipReason: 'needs-directory-reader',
    };
  }
  if (err instanceof EntraError) {
    const refusal = check.meta.entraRefusal === 'fail' ? entraRefusalOutcome(err) : undefined;
    if (refusal) return fromOutcome(check, refusal, opts);
    const text = codeText(check.meta, err.code);
    const rendered = text ? renderCode(text, { ...opts.defaults, ...err.data }) : undefined;
    return {
      ...errorResult(check, rendered?.message ?? err.message, err.code, opts),
      remediation: rendered?.remediation === undefined ? undefined : opts.redactor.scrub(rendered.remediation),
      // The same fields as a refusal's: what support needs to find the sign-in in Entra's logs.
      evidence: cleanEvidence(entraEvidence(err), opts.redactor),
    };
  }
  if (err instanceof GraphError) {
    return {
      ...errorResult(check, err.message, err.info.code, opts),
      evidence: cleanEvidence(
        { path: err.info.path, status: err.info.status, requestId: err.info.requestId ?? null },
        opts.redactor,
      ),
    };
  }
  if (err instanceof NetError) {
    return {
      ...errorResult(check, err.message, err.code, opts),
      evidence: cleanEvidence({ host: err.host, phase: err.phase, ...err.detail }, opts.redactor),
    };
  }
  const message = err instanceof Error ? `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}` : String(err);
  return errorResult(check, `check crashed: ${message}`, undefined, opts);
}

function errorResult(
  check: Check,
  message: string,
  code: string | undefined,
  opts: ExecuteOptions,
): Omit<CheckResult, 'durationMs'> {
  return {
    ...baseResult(check),
    status: 'error',
    message: opts.redactor.scrub(message),
    code,
    evidence: {},
    docsUrl: check.meta.docsUrl,
    dependsOn: [...check.meta.dependsOn],
  };
}

/** Drops undefined values and scrubs secrets out of every string. */
function cleanEvidence(
  evidence: Record<string, Evidence | undefined> | undefined,
  redactor: Redactor,
): Record<string, Evidence> {
  const out: Record<string, Evidence> = {};
  for (const [key, value] of Object.entries(evidence ?? {})) {
    if (value === undefined) continue;
    out[key] =
      typeof value === 'string'
        ? redactor.scrub(value)
        : Array.isArray(value)
          ? value.map((v) => redactor.scrub(String(v)))
          : value;
  }
  return out;
}
