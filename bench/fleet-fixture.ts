// A fleet to check: several emulated tenants (one emulator each), each given extra licensed mailbox users,
// and a targets file naming them with secrets by reference (files under the fixture's folder, one per
// mailbox, plus one environment variable per tenant for the app secrets).
import { endpointValues } from '../src/config/validate.js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../src/emulator/index.js';
import { proxyEmulator } from './latency.js';

export interface FleetFixture {
  emulators: RunningEmulator[];
  dir: string;
  targetsFile: string;
  /** Environment variables the targets file refers to (app and directory-reader secrets). */
  env: Record<string, string>;
  mailboxes: number;
  stop(): Promise<void>;
}

export interface FleetFixtureOptions {
  tenants: number;
  mailboxes: number;
  /** Extra fields for every target (e.g. activities). */
  targetExtra?: Record<string, unknown>;
  /** Puts every endpoint of every tenant behind a delay proxy with this round-trip time. */
  rttMs?: number;
}

/** Adds `count` licensed, mailbox-enabled users (user0001@domain, ...) that the connector app may open. */
export function addMailboxUsers(
  e: RunningEmulator,
  count: number,
  tag: string,
): Array<{ upn: string; password: string }> {
  const t = e.tenant;
  const base = t.users[0];
  const domain = base.userPrincipalName.slice(base.userPrincipalName.indexOf('@') + 1);
  const principal = t.exchange.mailboxPermissions[0]?.principal;
  const out: Array<{ upn: string; password: string }> = [];
  for (let i = 1; i <= count; i++) {
    const n = String(i).padStart(4, '0');
    const upn = `user${n}@${domain}`;
    const password = `Fleet-${tag}-${n}-Pw!`;
    t.users.push({
      ...structuredClone(base),
      id: `${tag.padStart(8, '0').slice(-8)}-0000-4000-8000-${n.padStart(12, '0')}`,
      userPrincipalName: upn,
      mail: upn,
      displayName: `Mailbox ${n}`,
      password,
    });
    if (principal) t.exchange.mailboxPermissions.push({ mailbox: upn, principal, accessRights: ['FullAccess'] });
    out.push({ upn, password });
  }
  return out;
}

export async function startFleetFixture(opts: FleetFixtureOptions): Promise<FleetFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'm365-doctor-fleet-fixture-'));
  mkdirSync(join(dir, 'secrets'), { mode: 0o700 });
  const started = await Promise.all(Array.from({ length: opts.tenants }, () => startEmulator()));
  const proxied = opts.rttMs === undefined ? [] : await Promise.all(started.map((e) => proxyEmulator(e, opts.rttMs!)));
  const emulators = proxied.length ? proxied.map((p) => p.view) : started;
  const env: Record<string, string> = {};
  const targets: Record<string, unknown>[] = [];
  // Mailboxes spread evenly over the tenants; each tenant's users are listed together, as an MSP would.
  emulators.forEach((e, t) => {
    const share = Math.floor(opts.mailboxes / opts.tenants) + (t < opts.mailboxes % opts.tenants ? 1 : 0);
    const c = e.credentials;
    env[`FLEET_T${t + 1}_SECRET`] = c.clientSecret;
    env[`FLEET_T${t + 1}_ADMIN_SECRET`] = c.adminClientSecret;
    for (const user of addMailboxUsers(e, share, String(t + 1))) {
      const file = join('secrets', `t${t + 1}-${user.upn.split('@')[0]}`);
      writeFileSync(join(dir, file), `${user.password}\n`, { mode: 0o600 });
      targets.push({
        name: `t${t + 1}/${user.upn}`,
        tenant: c.domain,
        clientId: c.clientId,
        clientSecret: { env: `FLEET_T${t + 1}_SECRET` },
        username: user.upn,
        password: { file },
        admin: { clientId: c.adminClientId, clientSecret: { env: `FLEET_T${t + 1}_ADMIN_SECRET` } },
        endpoints: endpointValues(e),
        ...opts.targetExtra,
      });
    }
  });
  // Every emulator in a process trusts the same CA, so one CA file serves the whole fleet.
  const targetsFile = join(dir, 'targets.json');
  writeFileSync(targetsFile, JSON.stringify({ defaults: { caFile: emulators[0].caFile }, targets }, null, 2));
  return {
    emulators,
    dir,
    targetsFile,
    env,
    mailboxes: targets.length,
    async stop() {
      await Promise.allSettled(proxied.map((p) => p.stop()));
      await Promise.allSettled(started.map((e) => e.stop()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Requests the emulators saw, by kind, since their logs were last cleared. */
export function requestCounts(emulators: readonly RunningEmulator[]) {
  const counts = {
    tokenPosts: 0,
    ropc: 0,
    clientCredentials: 0,
    graph: 0,
    graphBatch: 0,
    discovery: 0,
    userRealm: 0,
    imapLogins: 0,
    popLogins: 0,
    smtpLogins: 0,
  };
  for (const e of emulators) {
    for (const r of e.log.entries) {
      if (r.service === 'entra') {
        if (r.method === 'POST' && /\/token$/.test(r.target.split('?')[0])) {
          counts.tokenPosts++;
          if (r.detail === 'password') counts.ropc++;
          if (r.detail === 'client_credentials') counts.clientCredentials++;
        }
        if (/openid-configuration/.test(r.target)) counts.discovery++;
        if (/userrealm/.test(r.target)) counts.userRealm++;
      } else if (r.service === 'graph') {
        counts.graph++;
        if (/\$batch/.test(r.target)) counts.graphBatch++;
      } else if (r.service === 'imap' && r.method === 'AUTHENTICATE') counts.imapLogins++;
      else if (r.service === 'pop' && r.method === 'AUTH') counts.popLogins++;
      else if (r.service === 'smtp' && r.method === 'AUTH') counts.smtpLogins++;
    }
  }
  return counts;
}
