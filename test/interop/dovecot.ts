// Starts a private Dovecot (IMAPS, POP3S, submission with STARTTLS) on loopback that judges bearer tokens
// locally, and stops it by pid. Nothing outside the lab folder is touched.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { HostPort } from '../../src/config/types.js';
import { dovecotBinary } from './dovecot-install.js';
import { freeLoopbackPorts } from './free-ports.js';
import { makeLabFolder, writeLab } from './lab-folder.js';
import { endLab, labProcesses, watchLab } from './lab-processes.js';
import { startRelaySink, type RelaySink } from './relay-sink.js';

export interface DovecotOptions {
  /** PEM (SPKI) public key Dovecot trusts for RS256 signatures. */
  publicKeyPem: string;
  /** The `kid` header the tokens carry; the key is also installed for kid-less tokens. */
  kid: string;
  /** `azp` values the tokens may carry (the key dict is keyed by azp too); tokens without azp always work. */
  azp?: string[];
  /** Accepted `iss` (one or more). */
  issuer: string | string[];
  /** Dovecot's client_id: must be in the token's `aud`. */
  audience: string;
  /** Claim that must equal the SASL login name. */
  usernameClaim: string;
  /**
   * Rewrites the login name before the token is compared with it (Dovecot's auth_username_format, e.g.
   * "%Ln@other.test"): the mailbox then belongs to another account than the token's. Default "%Lu".
   */
  loginNameFormat?: string;
  tls: { certPem: string; keyPem: string };
}

export interface RunningDovecot {
  imap: HostPort;
  pop: HostPort;
  submission: HostPort;
  logFile: string;
  instanceName: string;
  masterPid: number;
  /** The loopback SMTP sink submission relays to. */
  relay: RelaySink;
  /** Everything Dovecot logged so far. */
  log(): string;
  /** Current length of the log: pass it to waitForLog to look only at what comes after. */
  logMark(): number;
  /** Wait for a log line matching `pattern` after `mark` (Dovecot logs asynchronously to the client's reply). */
  waitForLog(pattern: RegExp, mark?: number, timeoutMs?: number): Promise<string>;
  /** PIDs of this lab's processes (empty after stop()). */
  processes(): number[];
  stop(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';
const START_TIMEOUT_MS = 10_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: LOOPBACK, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function startDovecot(o: DovecotOptions): Promise<RunningDovecot> {
  const root = makeLabFolder();
  const relay = await startRelaySink();
  const [imaps, pop3s, submission] = await freeLoopbackPorts(3);
  const instanceName = `m365doctor-lab-${randomBytes(4).toString('hex')}`;
  const { confFile, logFile } = writeLab(root, {
    instanceName,
    ports: { imaps, pop3s, submission },
    relay,
    keys: { publicKeyPem: o.publicKeyPem, kid: o.kid, azp: o.azp },
    tls: o.tls,
    policy: {
      issuers: ([] as string[]).concat(o.issuer),
      clientId: o.audience,
      usernameClaim: o.usernameClaim,
      loginNameFormat: o.loginNameFormat ?? '%Lu',
    },
  });
  const identity = { instanceName, confFile };

  // -F keeps the master in the foreground as our child, so its exit is observable.
  const child = spawn(dovecotBinary(), ['-F', '-c', confFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let exited = false;
  child.stdout.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.once('error', (err) => {
    output += err.message;
    exited = true;
  });
  child.once('exit', () => {
    exited = true;
  });
  const dismissWatchdog = child.pid ? watchLab(identity, child.pid, root) : () => {};

  const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  // The master writes base_dir/master.pid; with -F it is our child, so both name the same process.
  const pidFile = join(root, 'run', 'master.pid');
  const masterPid = () => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : child.pid);
  const stop = async () => {
    await endLab(identity, exited ? undefined : masterPid());
    dismissWatchdog();
    await relay.close();
    rmSync(root, { recursive: true, force: true });
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (const port of [imaps, pop3s, submission]) {
    while (!(await canConnect(port))) {
      if (exited || Date.now() > deadline) {
        const why = `${output}\n${log()}`.trim().split('\n').slice(-8).join('\n');
        await stop();
        throw new Error(`Dovecot did not start listening on 127.0.0.1:${port}:\n${why}`);
      }
      await sleep(25);
    }
  }

  return {
    imap: { host: LOOPBACK, port: imaps },
    pop: { host: LOOPBACK, port: pop3s },
    submission: { host: LOOPBACK, port: submission },
    logFile,
    instanceName,
    masterPid: masterPid()!,
    relay,
    log,
    logMark: () => Buffer.byteLength(log()),
    async waitForLog(pattern, mark = 0, timeoutMs = 3000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const line = Buffer.from(log())
          .subarray(mark)
          .toString('utf8')
          .split('\n')
          .find((l) => pattern.test(l));
        if (line) return line;
        if (Date.now() > until)
          throw new Error(`Dovecot never logged ${pattern}; log tail:\n${log().split('\n').slice(-10).join('\n')}`);
        await sleep(20);
      }
    },
    processes: () => labProcesses(identity),
    stop,
  };
}
