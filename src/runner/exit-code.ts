// Exit codes: 0 nothing failed, 1 a check failed or errored (or warned with --fail-on warn), 2 usage/config error,
// 3 an output file could not be written.
import type { RunReport } from '../core/result.js';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
/** The checks ran (stdout has the report) but a --report file or init's config could not be written. */
export const EXIT_WRITE_FAILED = 3;

export type FailOn = 'fail' | 'warn';

export function exitCodeFor(report: Pick<RunReport, 'summary'>, failOn: FailOn = 'fail'): number {
  const s = report.summary;
  if (s.fail > 0 || s.error > 0) return EXIT_FINDINGS;
  if (failOn === 'warn' && s.warn > 0) return EXIT_FINDINGS;
  return EXIT_OK;
}
