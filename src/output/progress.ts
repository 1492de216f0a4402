// Live progress on a terminal: one status line rewritten in place while checks run.
import type { RunEvent } from '../runner/events.js';

export interface Progress {
  onEvent(event: RunEvent): void;
  /** Clears the status line before the report is written. */
  done(): void;
}

export function createProgress(stream: NodeJS.WriteStream, total: number): Progress {
  if (!stream.isTTY) return { onEvent() {}, done() {} };
  const running = new Set<string>();
  let finished = 0;
  const draw = () => {
    const names = [...running].join(', ');
    const line = `[${finished}/${total}] ${running.size ? `running ${names}` : ''}`;
    const width = (stream.columns ?? 80) - 1;
    stream.write(`\r\u001b[K${line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
  };
  return {
    onEvent(event) {
      if (event.type === 'checkStarted') running.add(event.id);
      else { running.delete(event.result.id); finished++; }
      draw();
    },
    done() { stream.write('\r\u001b[K'); },
  };
}
