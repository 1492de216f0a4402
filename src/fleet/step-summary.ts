// GitHub Actions job summary of a fleet run: the fleet's Markdown report, kept under GitHub's size limit
// (the runner refuses more: "$GITHUB_STEP_SUMMARY upload aborted, supports content up to a size of 1024k";
// https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions#adding-a-markdown-summary).
import { appendToSummary, stepSummaryFile } from '../output/step-summary.js';
import type { FleetHeader, FleetTargetEntry } from './fleet-report.js';
import { renderFleetMarkdown } from './render-documents.js';

/** Room left under 1 MiB for whatever else the job's steps add (characters; emoji count double in bytes). */
const MAX_CHARS = 400_000;

export function appendFleetStepSummary(
  header: FleetHeader,
  entries: Iterable<FleetTargetEntry>,
  env: NodeJS.ProcessEnv,
  scrub: (s: string) => string,
  warn: (line: string) => void,
): string | undefined {
  const file = stepSummaryFile(env);
  if (!file) return undefined;
  let text = '';
  renderFleetMarkdown(
    header,
    entries,
    (chunk) => {
      text += chunk;
    },
    { maxChars: MAX_CHARS },
  );
  return appendToSummary(file, scrub(text), warn);
}
