// The lab folder of one Dovecot: config, oauth2 passdb file, key dict, TLS files, log and mail homes.
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { renderDovecotConf, renderOAuth2Conf, type DovecotLayout } from './dovecot-config.js';

export interface LabKeys {
  publicKeyPem: string;
  kid: string;
  azp?: string[];
}

export interface LabPolicy {
  issuers: string[];
  clientId: string;
  usernameClaim: string;
  loginNameFormat: string;
}

export interface LabFolder {
  root: string;
  confFile: string;
  logFile: string;
}

/** A fresh, world-traversable folder under the OS temp dir (mail processes run as an unprivileged user). */
export function makeLabFolder(): string {
  const root = mkdtempSync(join(tmpdir(), 'm365-doctor-dovecot-'));
  chmodSync(root, 0o755);
  for (const dir of ['run', 'state', 'log', 'home', 'keys', 'tls']) mkdirSync(join(root, dir), { mode: 0o755 });
  // Each mail user creates its own home here on first login, as in /tmp.
  chmodSync(join(root, 'home'), 0o1777);
  return root;
}

function writeKeys(keyDir: string, k: LabKeys): void {
  // passdb oauth2 looks the key up as <azp|default>/<alg>/<kid|default> in the dict.
  for (const azp of ['default', ...(k.azp ?? [])]) {
    for (const kid of [k.kid, 'default']) {
      const dir = join(keyDir, azp, 'RS256');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, kid), k.publicKeyPem);
    }
  }
}

function groupName(): string {
  return spawnSync('id', ['-gn'], { encoding: 'utf8' }).stdout.trim();
}

/** Writes everything Dovecot reads; as root its processes run as Dovecot's users, otherwise as ours. */
export function writeLab(
  root: string,
  parts: { keys: LabKeys; tls: { certPem: string; keyPem: string }; policy: LabPolicy } & Pick<
    DovecotLayout,
    'instanceName' | 'ports' | 'relay'
  >,
): LabFolder {
  const certFile = join(root, 'tls', 'server.crt');
  const keyFile = join(root, 'tls', 'server.key');
  writeFileSync(certFile, parts.tls.certPem);
  writeFileSync(keyFile, parts.tls.keyPem, { mode: 0o600 });
  writeKeys(join(root, 'keys'), parts.keys);

  const oauth2File = join(root, 'oauth2.conf.ext');
  writeFileSync(
    oauth2File,
    renderOAuth2Conf({
      issuers: parts.policy.issuers.join(' '),
      clientId: parts.policy.clientId,
      usernameClaim: parts.policy.usernameClaim,
      keyDir: join(root, 'keys'),
    }),
  );

  const asRoot = process.getuid?.() === 0;
  const me = userInfo();
  const confFile = join(root, 'dovecot.conf');
  writeFileSync(
    confFile,
    renderDovecotConf(
      {
        root,
        instanceName: parts.instanceName,
        ports: parts.ports,
        relay: parts.relay,
        certFile,
        keyFile,
        loginNameFormat: parts.policy.loginNameFormat,
        unprivileged: !asRoot,
        internalUser: asRoot ? 'dovecot' : me.username,
        internalGroup: asRoot ? 'dovecot' : groupName(),
        loginUser: asRoot ? 'dovenull' : me.username,
        mailUid: asRoot ? 'nobody' : String(me.uid),
        mailGid: asRoot ? 'nogroup' : groupName(),
      },
      oauth2File,
    ),
  );
  return { root, confFile, logFile: join(root, 'log', 'dovecot.log') };
}
