// GitHub Actions job summary: when GITHUB_STEP_SUMMARY names a file, `check` appends its Markdown report there.
import { appendFileSync } from 'node:fs';
import { markdownReporter } from '../../reporters/markdown.js';
import type { RunReport } from '../core/result.js';
import type { FailOn } from '../runner/exit-code.js';

/** M365_DOCTOR_STEP_SUMMARY=false (or 0) turns the hook off, e.g. where a wrapper writes the summary itself. */
export function stepSummaryFile(env: NodeJS.ProcessEnv): string | undefined {
  const file = env.GITHUB_STEP_SUMMARY?.trim();
  const optOut = env.M365_DOCTOR_STEP_SUMMARY?.trim().toLowerCase();
  if (!file || optOut === 'false' || optOut === '0') return undefined;
  return file;
}

/**
 * Appends the report to the job summary. A summary that cannot be written is a warning, not a failed run:
 * the findings and the exit code matter more than their display.
 */
export function appendStepSummary(
  report: RunReport,
  failOn: FailOn,
  env: NodeJS.ProcessEnv,
  scrub: (s: string) => string,
  warn: (line: string) => void,
): string | undefined {
  const file = stepSummaryFile(env);
  if (!file) return undefined;
  return appendToSummary(file, scrub(markdownReporter.render(report, { color: false, failOn })), warn);
}

/** Appends Markdown to the summary file; the file's name, or undefined after a warning when it cannot be written. */
export function appendToSummary(file: string, markdown: string, warn: (line: string) => void): string | undefined {
  try {
    appendFileSync(file, `${markdown}\n`);
    return file;
  } catch (err) {
    warn(`warning: cannot append to GITHUB_STEP_SUMMARY (${(err as NodeJS.ErrnoException).code ?? 'error'}): ${file}`);
    return undefined;
  }
}
