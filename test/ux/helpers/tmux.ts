// Drives a program under a real pseudo-terminal: a tmux server of its own (private socket), keys sent in,
// the screen read back with capture-pane.
import { spawnSync } from 'node:child_process';

export function tmuxAvailable(): boolean {
  return spawnSync('tmux', ['-V']).status === 0;
}

export interface Terminal {
  /** Types `text` and presses Enter. */
  type(text: string): void;
  /** Presses keys by tmux name, e.g. "C-c". */
  keys(...names: string[]): void;
  /** The visible screen, or with history the whole scrollback too. */
  screen(opts?: { history?: boolean }): string;
  /** Polls the screen until `test` holds; throws with the last screen on timeout. */
  waitFor(
    test: (screen: string) => boolean,
    what: string,
    timeoutMs?: number,
    opts?: { history?: boolean },
  ): Promise<string>;
  /** Appends every byte the pane's programs write to the terminal (echo included) to `file`, from now on. */
  record(file: string): void;
  close(): void;
}

export function openTerminal(opts: {
  cwd: string;
  env: Record<string, string>;
  width?: number;
  height?: number;
}): Terminal {
  const socket = `m365-doctor-ux-${process.pid}-${Date.now()}`;
  const tmux = (...args: string[]) => {
    const r = spawnSync('tmux', ['-L', socket, ...args], { env: opts.env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tmux ${args[0]} failed: ${r.stderr}`);
    return r.stdout;
  };
  tmux(
    'new-session',
    '-d',
    '-s',
    'ux',
    '-x',
    String(opts.width ?? 160),
    '-y',
    String(opts.height ?? 50),
    '-c',
    opts.cwd,
    'bash --norc --noprofile',
  );
  tmux('set-option', '-t', 'ux', 'history-limit', '5000');
  const screen = (o: { history?: boolean } = {}) =>
    tmux('capture-pane', '-p', '-t', 'ux', ...(o.history ? ['-S', '-'] : []));
  return {
    type(text) {
      tmux('send-keys', '-t', 'ux', '-l', text);
      tmux('send-keys', '-t', 'ux', 'Enter');
    },
    keys(...names) {
      tmux('send-keys', '-t', 'ux', ...names);
    },
    record(file) {
      tmux('pipe-pane', '-t', 'ux', '-o', `cat >> '${file.replace(/'/g, `'\\''`)}'`);
    },
    screen,
    async waitFor(test, what, timeoutMs = 30000, o = {}) {
      const until = Date.now() + timeoutMs;
      let last = '';
      while (Date.now() < until) {
        last = screen(o);
        if (test(last)) return last;
        await new Promise((r) => setTimeout(r, 40));
      }
      throw new Error(`terminal: timed out waiting for ${what}; the screen was:\n${last}`);
    },
    close() {
      // Only the server of this socket, which this helper started.
      spawnSync('tmux', ['-L', socket, 'kill-server'], { env: opts.env });
    },
  };
}
