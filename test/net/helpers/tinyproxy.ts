// A real HTTP proxy for the proxy tests: Debian's tinyproxy, run in the foreground on loopback by the test and
// stopped by its pid. Its log (stderr with -d) has one "Request ...: CONNECT host:port" line per tunnel.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPorts } from '../../interop/free-ports.js';

export const TINYPROXY = ['/usr/bin/tinyproxy', '/usr/sbin/tinyproxy'].find((p) => spawnSync(p, ['-v']).status === 0);

export interface Tinyproxy {
  url: string;
  port: number;
  pid: number;
  log(): string;
  /** host:port of every CONNECT the proxy received, in order. */
  connects(): string[];
  stop(): Promise<void>;
}

/** `config` lines are added to a minimal config (e.g. "BasicAuth user pass", "ConnectPort 1"). */
export async function startTinyproxy(config: string[] = []): Promise<Tinyproxy> {
  if (!TINYPROXY) throw new Error('tinyproxy is not installed');
  const [port] = await freeLoopbackPorts(1);
  const dir = mkdtempSync(join(tmpdir(), 'm365-tinyproxy-'));
  const conf = join(dir, 'tinyproxy.conf');
  writeFileSync(
    conf,
    [`Port ${port}`, 'Listen 127.0.0.1', 'Timeout 30', 'LogLevel Connect', 'MaxClients 50', ...config, ''].join('\n'),
  );
  let log = '';
  const child: ChildProcess = spawn(TINYPROXY, ['-d', '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => {
    log += d;
  });
  child.stderr!.on('data', (d) => {
    log += d;
  });
  await waitForPort(port, () => log);
  const pid = child.pid!;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid,
    log: () => log,
    connects: () => [...log.matchAll(/Request \(file descriptor \d+\): CONNECT (\S+) HTTP/g)].map((m) => m[1]),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        process.kill(pid, 'SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForPort(port: number, log: () => string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const s = createConnection({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`tinyproxy did not listen on ${port}: ${log()}`);
}
