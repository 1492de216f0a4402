// Makes sure Debian's Dovecot is present for the interop suite, or says exactly why it cannot be.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const INSTALL_SCRIPT = fileURLToPath(new URL('./install-dovecot.sh', import.meta.url));
// The binaries the suite starts: master, the three protocol daemons and their login processes.
const REQUIRED = ['imap', 'imap-login', 'pop3', 'pop3-login', 'submission', 'submission-login', 'auth'].map(
  (name) => `/usr/lib/dovecot/${name}`,
);

/** The dovecot binary: on PATH, or where Debian puts it (/usr/sbin is not on every user's PATH). */
export function dovecotBinary(): string {
  const onPath = spawnSync('sh', ['-c', 'command -v dovecot'], { encoding: 'utf8' }).stdout.trim();
  return onPath || '/usr/sbin/dovecot';
}

function dovecotVersion(): string | undefined {
  try {
    return execFileSync(dovecotBinary(), ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

function missingParts(): string[] {
  return REQUIRED.filter((path) => !existsSync(path));
}

/** Why the installed Dovecot cannot serve the suite, or undefined when it can. */
function unusable(version: string, missing: string[]): string | undefined {
  // The harness writes 2.3 configuration; 2.4 renamed most settings (passdb oauth2 included).
  if (!version.startsWith('2.3.')) return `Dovecot ${version} is installed; the interop harness needs 2.3.x`;
  if (missing.length)
    return `Dovecot ${version} lacks ${missing.join(', ')} (install dovecot-imapd, dovecot-pop3d, dovecot-submissiond)`;
  return undefined;
}

export interface DovecotAvailability {
  /** Set when this machine cannot run Dovecot (no root, no apt, another major version): the suite is skipped. */
  skipReason?: string;
  /** Set when installing was possible but failed: the suite must fail, not skip. */
  installError?: string;
  version?: string;
  /** Seconds spent installing, when this call installed it. */
  installSeconds?: number;
}

/** What this machine offers, gathered before deciding. */
export interface HostFacts {
  version?: string;
  /** Required Dovecot binaries that are absent. */
  missing: string[];
  platform: NodeJS.Platform;
  isRoot: boolean;
  hasAptGet: boolean;
}

/** 'ready', 'install' (we may and should install), or a skip reason. Pure, so every branch is testable. */
export function decide(h: HostFacts): { action: 'ready' } | { action: 'install' } | { action: 'skip'; reason: string } {
  if (h.version && h.missing.length === 0) {
    const reason = unusable(h.version, h.missing);
    return reason ? { action: 'skip', reason } : { action: 'ready' };
  }
  const what = h.version ? `Dovecot ${h.version} lacks ${h.missing.join(', ')}` : 'Dovecot is not installed';
  if (h.platform !== 'linux') return { action: 'skip', reason: `${what} and ${h.platform} has no apt-get` };
  if (!h.isRoot) return { action: 'skip', reason: `${what} and installing it needs root (apt-get)` };
  if (!h.hasAptGet) return { action: 'skip', reason: `${what} and this machine has no apt-get` };
  return { action: 'install' };
}

function hostFacts(): HostFacts {
  return {
    version: dovecotVersion(),
    missing: missingParts(),
    platform: process.platform,
    isRoot: process.getuid?.() === 0,
    hasAptGet: spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0,
  };
}

/**
 * Dovecot 2.3 with IMAP, POP3 and submission, installed from Debian's packages when missing and we are
 * root with apt-get. Never throws: a machine that cannot run it gets a skip reason, a failed install an error.
 */
export function ensureDovecot(): DovecotAvailability {
  const first = decide(hostFacts());
  if (first.action === 'ready') return { version: dovecotVersion() };
  if (first.action === 'skip') return { skipReason: first.reason, version: dovecotVersion() };
  const started = Date.now();
  const run = spawnSync('sh', [INSTALL_SCRIPT], { encoding: 'utf8', timeout: 300_000 });
  const installSeconds = (Date.now() - started) / 1000;
  if (run.status !== 0) {
    const why = (run.stderr || run.error?.message || `exit ${run.status}`).trim().split('\n').slice(-3).join(' | ');
    return { installError: `installing Dovecot from Debian's packages failed: ${why}`, installSeconds };
  }
  const after = hostFacts();
  if (!after.version)
    return { installError: 'apt-get reported success but `dovecot` is still not on PATH', installSeconds };
  const reason = unusable(after.version, after.missing);
  if (!reason) return { version: after.version, installSeconds };
  // Another major version from the archive is this machine's limit; missing parts after an install are a fault.
  return after.missing.length
    ? { installError: reason, version: after.version, installSeconds }
    : { skipReason: reason, version: after.version, installSeconds };
}
