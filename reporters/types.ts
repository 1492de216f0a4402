// A reporter is a pure function from the run's report to text; only the CLI writes to stdout or files.
import type { RunReport } from '../src/core/result.js';
import type { FailOn } from '../src/runner/exit-code.js';

export interface ReporterOptions {
  /** ANSI colour; the CLI turns it on only for a TTY without NO_COLOR. */
  color: boolean;
  /** Terminal width for the table. */
  width?: number;
  /** Table rows for problems only (--quiet); other reporters ignore it. */
  problemsOnly?: boolean;
  /** Table: every check in a bordered table (--all, --verbose) instead of one line per category and the problems. */
  all?: boolean;
  /** --fail-on of the run: with 'warn' a warning fails the verdict and is a JUnit <failure>, as it sets exit code 1. */
  failOn?: FailOn;
}

export interface Reporter {
  name: ReporterName;
  /** File extension for reports written with --report. */
  extension: string;
  render(report: RunReport, opts: ReporterOptions): string;
}

export type ReporterName = 'table' | 'json' | 'junit' | 'markdown' | 'html';

/** Known reporter names, importable without loading any reporter (for --help). */
export const REPORTER_NAMES: readonly ReporterName[] = ['table', 'json', 'junit', 'markdown', 'html'];
