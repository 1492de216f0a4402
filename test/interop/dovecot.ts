// Starts a private Dovecot (IMAPS, POP3S, submission with STARTTLS) on loopback that judges bearer tokens
// locally, and stops it by its master pid. Nothing outside the lab folder is touched.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { freeLoopbackPorts } from './free-ports.js';
import { renderDovecotConf, renderOAuth2Conf } from './dovecot-config.js';
import { startRelaySink, type RelaySink } from './relay-sink.js';
import { dovecotBinary } from './dovecot-install.js';

export interface HostPort { host: string; port: number }

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
  relay: RelaySink;
  /** Everything Dovecot logged so far. */
  log(): string;
  /** Current length of the log: pass it to waitForLog to look only at what comes after. */
  logMark(): number;
  /** Wait for a log line matching `pattern` after `mark` (Dovecot logs asynchronously to the client's reply). */
  waitForLog(pattern: RegExp, mark?: number, timeoutMs?: number): Promise<string>;
  /** PIDs of processes still carrying this instance's name (should be empty after stop()). */
  processes(): number[];
  stop(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';
const WATCHDOG = fileURLToPath(new URL('./lab-watchdog.sh', import.meta.url));

function writeKeys(keyDir: string, o: DovecotOptions): void {
  // passdb oauth2 looks the key up as <azp|default>/<alg>/<kid|default> in the dict.
  for (const azp of ['default', ...(o.azp ?? [])]) {
    for (const kid of [o.kid, 'default']) {
      const dir = join(keyDir, azp, 'RS256');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, kid), o.publicKeyPem);
    }
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: LOOPBACK, port });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

function groupName(): string {
  return spawnSync('id', ['-gn'], { encoding: 'utf8' }).stdout.trim();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function processesOf(instanceName: string, confFile: string): number[] {
  // Dovecot titles its children "dovecot-<instance_name>/<service>"; the master keeps its command line.
  // Read /proc directly: minimal images lack pgrep.
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline: string;
    try { cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim(); } catch { continue; }
    if (cmdline.startsWith(`dovecot-${instanceName}/`) || cmdline.endsWith(`-c ${confFile}`)) found.push(Number(entry));
  }
  return found;
}

export async function startDovecot(o: DovecotOptions): Promise<RunningDovecot> {
  const root = mkdtempSync(join(tmpdir(), 'm365-doctor-dovecot-'));
  // Mail processes run as an unprivileged user and must be able to reach their home below the lab folder.
  chmodSync(root, 0o755);
  for (const dir of ['run', 'state', 'log', 'home', 'keys', 'tls']) mkdirSync(join(root, dir), { mode: 0o755 });
  // Mail processes (an unprivileged user) create their home below it on first login, like /tmp.
  chmodSync(join(root, 'home'), 0o1777);
  const certFile = join(root, 'tls', 'server.crt');
  const keyFile = join(root, 'tls', 'server.key');
  writeFileSync(certFile, o.tls.certPem);
  writeFileSync(keyFile, o.tls.keyPem, { mode: 0o600 });
  writeKeys(join(root, 'keys'), o);

  const asRoot = process.getuid?.() === 0;
  const me = userInfo();
  const relay = await startRelaySink();
  const [imaps, pop3s, submission] = await freeLoopbackPorts(3);
  const instanceName = `m365doctor-lab-${randomBytes(4).toString('hex')}`;
  const oauth2File = join(root, 'oauth2.conf.ext');
  writeFileSync(oauth2File, renderOAuth2Conf({
    issuers: ([] as string[]).concat(o.issuer).join(' '),
    clientId: o.audience,
    usernameClaim: o.usernameClaim,
    keyDir: join(root, 'keys'),
  }));
  const confFile = join(root, 'dovecot.conf');
  writeFileSync(confFile, renderDovecotConf({
    root, instanceName, ports: { imaps, pop3s, submission }, relay, certFile, keyFile,
    loginNameFormat: o.loginNameFormat ?? '%Lu',
    unprivileged: !asRoot,
    internalUser: asRoot ? 'dovecot' : me.username,
    internalGroup: asRoot ? 'dovecot' : groupName(),
    loginUser: asRoot ? 'dovenull' : me.username,
    mailUid: asRoot ? 'nobody' : String(me.uid),
    mailGid: asRoot ? 'nogroup' : groupName(),
  }, oauth2File));

  const logFile = join(root, 'log', 'dovecot.log');
  // -F keeps the master in the foreground as our child, so its exit is observable.
  const child = spawn(dovecotBinary(), ['-F', '-c', confFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  // A test worker that is killed never runs its hooks: a detached watchdog ends the lab once we are gone.
  const watchdog = spawn('sh', [WATCHDOG, String(process.pid), String(child.pid), instanceName, root], { detached: true, stdio: 'ignore' });
  watchdog.unref();
  const stopWatchdog = () => { try { process.kill(watchdog.pid!, 'SIGKILL'); } catch { /* already gone */ } };
  let output = '';
  child.stdout?.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { output += d.toString(); });
  let exited = false;
  child.once('exit', () => { exited = true; });

  const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  const cleanup = async () => {
    stopWatchdog();
    if (!exited) child.kill('SIGKILL');
    await relay.close();
    rmSync(root, { recursive: true, force: true });
  };

  const deadline = Date.now() + 10_000;
  for (const port of [imaps, pop3s, submission]) {
    while (!(await canConnect(port))) {
      if (exited || Date.now() > deadline) {
        const why = `${output}\n${log()}`.trim().split('\n').slice(-8).join('\n');
        await cleanup();
        throw new Error(`Dovecot did not start listening on 127.0.0.1:${port}:\n${why}`);
      }
      await sleep(25);
    }
  }
  const pidFile = join(root, 'run', 'master.pid');
  const masterPid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : child.pid!;

  return {
    imap: { host: LOOPBACK, port: imaps },
    pop: { host: LOOPBACK, port: pop3s },
    submission: { host: LOOPBACK, port: submission },
    logFile,
    instanceName,
    masterPid,
    relay,
    log,
    processes: () => processesOf(instanceName, confFile),
    logMark: () => Buffer.byteLength(log()),
    async waitForLog(pattern, mark = 0, timeoutMs = 3000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const line = Buffer.from(log()).subarray(mark).toString('utf8').split('\n').find((l) => pattern.test(l));
        if (line) return line;
        if (Date.now() > until) throw new Error(`Dovecot never logged ${pattern}; log tail:\n${log().split('\n').slice(-10).join('\n')}`);
        await sleep(20);
      }
    },
    async stop() {
      // Idle login processes outlive the master's SIGTERM by seconds, so every process of this instance
      // (by pid: the master, and the children titled with our instance name) is signalled directly.
      // The lab holds nothing worth a graceful shutdown: whatever is left after a short grace is killed.
      const remaining = () => [...new Set([...(exited ? [] : [masterPid]), ...processesOf(instanceName, confFile)])];
      const signal = (sig: NodeJS.Signals) => {
        for (const pid of remaining()) {
          try { process.kill(pid, sig); } catch { /* already gone */ }
        }
      };
      const settle = async (ms: number) => {
        const until = Date.now() + ms;
        while (remaining().length && Date.now() < until) await sleep(20);
      };
      signal('SIGTERM');
      await settle(500);
      signal('SIGKILL');
      await settle(2000);
      stopWatchdog();
      await relay.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
