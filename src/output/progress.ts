// Progress of a check run on stderr: a live list on a terminal, one plain line per check in CI or a pipe.
import type { RunEvent } from '../runner/events.js';
import { useColor } from './color.js';
import { isCi } from './ci.js';
import { createLiveList } from './live-list.js';
import { progressLine, spinnerLine } from './progress-lines.js';

export interface Progress {
  onEvent(event: RunEvent): void;
  /** Stops the live display and leaves its final lines; call it before the report is written. */
  done(): void;
}

export type ProgressMode = 'live' | 'plain' | 'silent';

export interface ProgressOptions {
  env?: NodeJS.ProcessEnv;
  /** Forces a mode; by default live on a terminal, plain otherwise or when CI is set. */
  mode?: ProgressMode;
}

export function progressMode(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): ProgressMode {
  return stream.isTTY === true && !isCi(env) ? 'live' : 'plain';
}

/** `total` is kept for callers that size a display by it; each mode shows checks as they come. */
export function createProgress(stream: NodeJS.WriteStream, _total: number, opts: ProgressOptions = {}): Progress {
  const env = opts.env ?? process.env;
  const mode = opts.mode ?? progressMode(stream, env);
  const color = useColor(stream, env);
  if (mode === 'silent') return { onEvent() {}, done() {} };
  if (mode === 'plain') {
    return {
      onEvent(event) {
        // Checks left out by --only/--skip are in the report; listing them here would only bury the rest.
        if (event.type === 'checkFinished' && event.result.skipReason !== 'not-selected') {
          stream.write(`${progressLine(event.result, color)}\n`);
        }
      },
      done() {},
    };
  }
  const live = createLiveList(stream);
  return {
    onEvent(event) {
      if (event.type === 'checkStarted') {
        const started = performance.now();
        live.upsert(
          event.id,
          (tick) => spinnerLine(event.id, event.title, tick, performance.now() - started, color),
          false,
        );
      } else if (event.result.skipReason !== 'not-selected') {
        const line = progressLine(event.result, color);
        live.upsert(event.result.id, () => line, true);
      }
    },
    done() {
      live.stop();
    },
  };
}
