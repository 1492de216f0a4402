// One line per check for the progress display: its status as it ends, or a spinner while it runs.
import { dim, paint, seconds, STATUS_LABEL } from '../../reporters/status-text.js';
import type { CheckResult } from '../core/result.js';
import { singleLine } from './terminal-text.js';

export const SPINNER_FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const LABEL_WIDTH = 9;

/** e.g. "✖ fail    Password-grant (ROPC) token (ropc-token) 10 ms: Multi-factor … [AADSTS50076]" */
export function progressLine(result: CheckResult, color: boolean): string {
  const label = paint(STATUS_LABEL[result.status].padEnd(LABEL_WIDTH), result.status, color);
  const name = `${singleLine(result.title)} ${dim(`(${result.id})`, color)}`;
  const took = result.status === 'skip' ? '' : ` ${dim(seconds(result.durationMs), color)}`;
  // A pass says all in its status; anything else carries its message, so a CI log alone tells what went wrong.
  const detail =
    result.status === 'pass'
      ? ''
      : `: ${singleLine(result.message)}${
          result.code && result.status !== 'skip' ? ` [${singleLine(result.code)}]` : ''
        }`;
  return `${label} ${name}${took}${detail}`;
}

/** e.g. "⠙ running Tenant exists in this cloud (tenant-discovery) 1.2 s" */
export function spinnerLine(id: string, title: string, frame: number, elapsedMs: number, color: boolean): string {
  const spin = `${SPINNER_FRAMES[frame % SPINNER_FRAMES.length]} running`.padEnd(LABEL_WIDTH);
  // Elapsed time only once it is worth reading: a slow check shows it is still alive.
  const took = elapsedMs >= 1000 ? ` ${dim(seconds(Math.round(elapsedMs)), color)}` : '';
  return `${color ? `\u001b[36m${spin}\u001b[39m` : spin} ${singleLine(title)} ${dim(`(${id})`, color)}${took}`;
}
