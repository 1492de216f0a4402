// Finding and ending the processes of one Dovecot lab, always by pid.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const WATCHDOG = fileURLToPath(new URL('./lab-watchdog.sh', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One lab's identity: its master and the instance name Dovecot puts in its children's titles. */
export interface LabIdentity {
  instanceName: string;
  confFile: string;
}

/** PIDs of the lab's processes: children titled "dovecot-<instance_name>/<service>", and the master by its command line. */
export function labProcesses(lab: LabIdentity): number[] {
  // Read /proc directly: minimal images lack pgrep.
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    } catch {
      continue;
    }
    if (cmdline.startsWith(`dovecot-${lab.instanceName}/`) || cmdline.endsWith(`-c ${lab.confFile}`))
      found.push(Number(entry));
  }
  return found;
}

function signal(pids: Iterable<number>, sig: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      /* already gone */
    }
  }
}

/**
 * Ends every process of the lab. Idle login processes outlive the master's SIGTERM by seconds, so each
 * process is signalled directly; the lab holds nothing worth a graceful shutdown, so what is left after a
 * short grace is killed.
 */
export async function endLab(lab: LabIdentity, masterPid: number | undefined): Promise<void> {
  const remaining = () =>
    new Set([...(masterPid ? [masterPid] : []), ...labProcesses(lab)].filter((pid) => isAlive(pid)));
  const settle = async (ms: number) => {
    const until = Date.now() + ms;
    while (remaining().size && Date.now() < until) await sleep(20);
  };
  signal(remaining(), 'SIGTERM');
  await settle(500);
  signal(remaining(), 'SIGKILL');
  await settle(2000);
}

function isAlive(pid: number): boolean {
  try {
    // A zombie still answers kill(0); its empty cmdline tells it apart.
    process.kill(pid, 0);
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').length > 0;
  } catch {
    return false;
  }
}

/**
 * A test worker that is killed never runs its hooks: a detached watchdog ends the lab once this process is
 * gone. Returns the function that dismisses it (after a normal stop).
 */
export function watchLab(lab: LabIdentity, masterPid: number, labDir: string): () => void {
  const watchdog = spawn('sh', [WATCHDOG, String(process.pid), String(masterPid), lab.instanceName, labDir], {
    detached: true,
    stdio: 'ignore',
  });
  watchdog.unref();
  return () => {
    if (watchdog.pid) signal([watchdog.pid], 'SIGKILL');
  };
}
