// Process measurements for the benchmark: wall time of a child process, and its peak resident memory.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

export interface ProcessRun {
  code: number | null;
  ms: number;
  stdout: string;
  stderr: string;
  peakRssMb?: number;
  cpuSeconds?: number;
}

const TIME = '/usr/bin/time';

/**
 * Runs a command without blocking this process (the emulators answering it live here). With `rss`, the peak
 * resident set comes from GNU time (getrusage maxrss) when installed, else from polling VmHWM in /proc.
 */
export function runProcess(
  cmd: string,
  args: string[],
  opts: {
    env?: NodeJS.ProcessEnv;
    input?: string;
    rss?: boolean;
    /** Each complete stderr line as it arrives, with its arrival time (performance.now()). */
    onStderrLine?: (line: string, at: number) => void;
  } = {},
): Promise<ProcessRun> {
  const viaTime = opts.rss && existsSync(TIME);
  const [file, argv] = viaTime ? [TIME, ['-f', '%M %U %S', cmd, ...args]] : [cmd, args];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { env: opts.env ?? process.env });
    let stdout = '';
    let stderr = '';
    let hwmKb = 0;
    const poll =
      opts.rss && !viaTime
        ? setInterval(() => {
            hwmKb = Math.max(hwmKb, vmHwmKb(child.pid));
          }, 50)
        : undefined;
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    let partial = '';
    child.stderr.on('data', (d) => {
      stderr += d;
      if (!opts.onStderrLine) return;
      const at = performance.now();
      const lines = (partial + String(d)).split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) opts.onStderrLine(l, at);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (poll) clearInterval(poll);
      const ms = performance.now() - started;
      let peakKb = hwmKb;
      let cpuSeconds: number | undefined;
      if (viaTime) {
        const lines = stderr.trimEnd().split('\n');
        const [kb, user, sys] = (lines.pop() ?? '').split(' ').map(Number);
        peakKb = kb;
        cpuSeconds = user + sys;
        stderr = lines.join('\n');
      }
      resolve({ code, ms, stdout, stderr, ...(opts.rss ? { peakRssMb: peakKb / 1024, cpuSeconds } : {}) });
    });
    child.stdin.end(opts.input ?? '');
  });
}

function vmHwmKb(pid: number | undefined): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Runs `fn` n times one after another; returns each result. */
export async function repeat<T>(n: number, fn: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(await fn());
  return out;
}
