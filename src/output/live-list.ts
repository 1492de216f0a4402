// A list of lines redrawn in place on a terminal. Lines that are final and above every unfinished one are
// written once and scroll away like normal output; the rest (the "tail") is redrawn on every change.
import { fitWidth } from './terminal-text.js';

export interface LiveList {
  /** Adds the line for `key`, or replaces it. `render` gets the animation tick (for spinners). */
  upsert(key: string, render: (tick: number) => string, final: boolean): void;
  /** Draws the last state, leaves every line on screen and gives the stream back. */
  stop(): void;
}

interface Entry {
  render: (tick: number) => string;
  final: boolean;
}

const TICK_MS = 80;
const HIDE_CURSOR = '\u001b[?25l';
const SHOW_CURSOR = '\u001b[?25h';

type Write = NodeJS.WriteStream['write'];

export function createLiveList(stream: NodeJS.WriteStream): LiveList {
  const entries = new Map<string, Entry>();
  /** Keys not yet written for good, in the order they appeared. */
  const tail: string[] = [];
  let drawnLines = 0;
  let tick = 0;
  let stopped = false;

  const write: Write = stream.write;
  const put = (text: string) => {
    write.call(stream, text);
  };
  const showCursorOnExit = () => {
    put(SHOW_CURSOR);
  };

  /** Moves to the first tail line and clears from there to the end of the screen. */
  const erase = () => (drawnLines ? `\u001b[${drawnLines}F\u001b[J` : '\r\u001b[J');

  const draw = () => {
    const width = Math.max(10, (stream.columns || 80) - 1);
    // The tail must fit on the screen, or its top lines scroll out of reach of the cursor.
    const room = Math.max(1, (stream.rows || 24) - 2);
    let out = erase();
    const line = (key: string) => `${fitWidth(entries.get(key)!.render(tick), width)}\n`;
    while (tail[0] !== undefined && entries.get(tail[0])!.final) out += line(tail.shift()!);
    while (tail.length > room) {
      const finished = tail.findIndex((k) => entries.get(k)!.final);
      // With more checks running than rows, the oldest running line is frozen as it is.
      const index = finished === -1 ? 0 : finished;
      // In range: a found index, or 0 while the tail is longer than room (at least 1).
      out += line(tail[index]!);
      tail.splice(index, 1);
    }
    for (const key of tail) out += line(key);
    drawnLines = tail.length;
    put(out);
  };

  // Whatever else writes to the stream (a log line, the device-code prompt) lands above the live tail.
  stream.write = function liveAwareWrite(this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
    put(erase());
    drawnLines = 0;
    const ok = (write as (c: unknown, ...r: unknown[]) => boolean).call(stream, chunk, ...rest);
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    // A line left open would put the first tail line after it and shift every later redraw.
    if (text.length > 0 && !text.endsWith('\n')) put('\n');
    draw();
    return ok;
  } as Write;

  put(HIDE_CURSOR);
  process.once('exit', showCursorOnExit);
  const timer = setInterval(() => {
    tick++;
    if (tail.some((k) => !entries.get(k)!.final)) draw();
  }, TICK_MS);
  timer.unref();

  return {
    upsert(key, render, final) {
      if (stopped) return;
      // A line frozen early (more running checks than rows) comes back once more with its final state.
      if (!tail.includes(key)) tail.push(key);
      entries.set(key, { render, final });
      draw();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      for (const key of tail) entries.get(key)!.final = true;
      draw();
      stream.write = write;
      process.off('exit', showCursorOnExit);
      put(SHOW_CURSOR);
    },
  };
}
