// Public surface of the check engine.
export { runChecks, type RunOptions, type RunOutcome } from './run.js';
export { planRun, predecessors, waitEdges, type Plan } from './plan.js';
export { buildReport, criticalPathMs, reportTarget, summarize } from './report.js';
export { exitCodeFor, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type FailOn } from './exit-code.js';
export type { RunEvent, RunEventListener } from './events.js';
