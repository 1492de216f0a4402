// Events the runner emits while it works, for a live progress display.
import type { CheckResult } from '../core/result.js';

export type RunEvent =
  { type: 'checkStarted'; id: string; title: string } | { type: 'checkFinished'; result: CheckResult };

export type RunEventListener = (event: RunEvent) => void;
