// Makes sure Debian's Dovecot is present for the interop suite, or says exactly why it cannot be.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const INSTALL_SCRIPT = fileURLToPath(new URL('./install-dovecot.sh', import.meta.url));
// The binaries the suite starts: master, the three protocol daemons and their login processes.
const REQUIRED = ['imap', 'imap-login', 'pop3', 'pop3-login', 'submission', 'submission-login', 'auth']
  .map((name) => `/usr/lib/dovecot/${name}`);

function dovecotVersion(): string | undefined {
  try {
    return execFileSync('dovecot', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

function missingParts(): string[] {
  return REQUIRED.filter((path) => !existsSync(path));
}

/** Why the installed Dovecot cannot serve the suite, or undefined when it can. */
function unusable(version: string): string | undefined {
  // The harness writes 2.3 configuration; 2.4 renamed most settings (passdb oauth2 included).
  if (!version.startsWith('2.3.')) return `Dovecot ${version} is installed; the interop harness needs 2.3.x`;
  const missing = missingParts();
  if (missing.length) return `Dovecot ${version} lacks ${missing.join(', ')} (install dovecot-imapd, dovecot-pop3d, dovecot-submissiond)`;
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

/**
 * Dovecot 2.3 with IMAP, POP3 and submission, installed from Debian's packages when missing and we are
 * root with apt-get. Never throws: a machine that cannot run it gets a skip reason, a failed install an error.
 */
export function ensureDovecot(): DovecotAvailability {
  const present = dovecotVersion();
  if (present && missingParts().length === 0) {
    const reason = unusable(present);
    return reason ? { skipReason: reason, version: present } : { version: present };
  }
  if (process.platform !== 'linux') return { skipReason: `Dovecot is not installed and ${process.platform} has no apt-get` };
  if (process.getuid?.() !== 0) return { skipReason: 'Dovecot is not installed and installing it needs root (apt-get)' };
  if (spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status !== 0) {
    return { skipReason: 'Dovecot is not installed and this machine has no apt-get' };
  }
  const started = Date.now();
  const run = spawnSync('sh', [INSTALL_SCRIPT], { encoding: 'utf8', timeout: 300_000 });
  const installSeconds = (Date.now() - started) / 1000;
  if (run.status !== 0) {
    const why = (run.stderr || run.error?.message || `exit ${run.status}`).trim().split('\n').slice(-3).join(' | ');
    return { installError: `installing Dovecot from Debian's packages failed: ${why}`, installSeconds };
  }
  const version = dovecotVersion();
  if (!version) return { installError: 'apt-get reported success but `dovecot` is still not on PATH', installSeconds };
  const reason = unusable(version);
  return reason ? { skipReason: reason, version, installSeconds } : { version, installSeconds };
}
