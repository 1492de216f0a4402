// Pre-connecting in whole runs against the emulator: each mail check still uses exactly one connection (the
// pre-connected one), results are those of a run without pre-connect, a skipped login leaves no connection
// open and sent no AUTH, and checks that do not run open nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { relaysFor, runThrough, withoutPrepare, type Relays } from './helpers/run.js';

const MAIL_CHECKS = ['imap-login', 'pop-login', 'smtp-login', 'exchange-app-access'];
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.allSettled(cleanups.map((c) => c()));
});

async function emulatorAndRelays(scenario?: string): Promise<{ e: RunningEmulator; relays: Relays }> {
  const e = await startEmulator({ scenario });
  cleanups.push(() => e.stop());
  const relays = await relaysFor(e);
  cleanups.push(...Object.values(relays).map((r) => () => r.close()));
  return { e, relays };
}

/** Verbs the emulator saw for one mail service, counted. */
function verbs(e: RunningEmulator, service: 'imap' | 'pop' | 'smtp'): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of e.log.entries) if (x.service === service) out[x.method] = (out[x.method] ?? 0) + 1;
  return out;
}

const opened = (relays: Relays) => ({ imap: relays.imap.opened, pop: relays.pop.opened, smtp: relays.smtp.opened });
const allClosed = (relays: Relays) => Promise.all(Object.values(relays).map((r) => r.allClosed()));

describe('a healthy run', () => {
  let e: RunningEmulator;
  let relays: Relays;
  beforeAll(async () => ({ e, relays } = await emulatorAndRelays()));

  it('each mail check logs in over one connection: the pre-connected one', async () => {
    e.log.clear();
    // The ROPC token is held back until every mail connection is open: they can only be pre-connections, and the
    // counts below show that the logins used them rather than connecting again.
    const ropcGate = () =>
      Promise.all([relays.imap.opening(2), relays.pop.opening(1), relays.smtp.opening(1)]).then(() => undefined);
    const { results, clients } = await runThrough(e, relays, { ropcGate });
    for (const id of MAIL_CHECKS) expect(results.get(id)?.status, id).toBe('pass');
    // imap-login and exchange-app-access over IMAP; pop-login; smtp-login. A second connection per check would
    // show here, and a pre-connected session left unused would add a LOGOUT/QUIT when the clients close.
    expect(opened(relays)).toEqual({ imap: 2, pop: 1, smtp: 1 });
    await clients.close?.();
    await allClosed(relays);
    expect(opened(relays)).toEqual({ imap: 2, pop: 1, smtp: 1 });
    expect(verbs(e, 'imap')).toEqual({ CAPABILITY: 2, AUTHENTICATE: 2, EXAMINE: 2, LOGOUT: 2 });
    expect(verbs(e, 'pop')).toEqual({ CAPA: 1, AUTH: 1, STAT: 1, QUIT: 1 });
    expect(verbs(e, 'smtp')).toEqual({ EHLO: 2, STARTTLS: 1, AUTH: 1, QUIT: 1 });
  });

  it('the mail checks report exactly what a run without pre-connect reports', async () => {
    const before = await runThrough(e, relays, { checks: withoutPrepare() });
    const after = await runThrough(e, relays);
    await Promise.all([before.clients.close?.(), after.clients.close?.()]);
    const shape = (
      r: Map<string, { status: string; code?: string; message: string; evidence: unknown; remediation?: string }>,
      id: string,
    ) => {
      const { status, code, message, evidence, remediation } = r.get(id)!;
      // The SMTP banner carries the server's clock (RFC 5322 date), the one thing two runs may not share.
      return JSON.parse(
        JSON.stringify({ status, code, message, evidence, remediation }).replace(
          /\d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d [+-]\d{4}/g,
          '<date>',
        ),
      ) as unknown;
    };
    for (const id of MAIL_CHECKS) expect(shape(after.results, id), id).toEqual(shape(before.results, id));
  });
});

describe('logins that do not run', () => {
  it('ROPC fails (wrong password): the pre-connected sessions end with LOGOUT/QUIT, no AUTH, nothing left open', async () => {
    const { e, relays } = await emulatorAndRelays('wrong-password');
    const { results, clients } = await runThrough(e, relays);
    for (const id of ['imap-login', 'pop-login', 'smtp-login']) {
      expect(results.get(id), id).toMatchObject({ status: 'skip', skipReason: 'dependency-failed' });
    }
    await clients.close?.();
    await allClosed(relays);
    // imap-login's session and exchange-app-access's (it runs app-only, so it took one of the two).
    expect(opened(relays)).toEqual({ imap: 2, pop: 1, smtp: 1 });
    expect(verbs(e, 'smtp')).toEqual({ EHLO: 2, STARTTLS: 1, QUIT: 1 });
    expect(verbs(e, 'pop')).toEqual({ CAPA: 1, QUIT: 1 });
    // The one AUTHENTICATE is exchange-app-access's app-only login (it needs no ROPC token); imap-login's unused
    // session ended with LOGOUT.
    expect(results.get('exchange-app-access')?.status).toBe('pass');
    expect(verbs(e, 'imap')).toEqual({ CAPABILITY: 2, AUTHENTICATE: 1, EXAMINE: 1, LOGOUT: 2 });
  });

  it('--only tenant-discovery opens no mail connection', async () => {
    const { e, relays } = await emulatorAndRelays();
    const { clients } = await runThrough(e, relays, { only: ['tenant-discovery'] });
    await clients.close?.();
    expect(opened(relays)).toEqual({ imap: 0, pop: 0, smtp: 0 });
    expect(e.log.entries.filter((x) => x.service !== 'entra' && x.service !== 'graph')).toEqual([]);
  });

  it('--skip smtp-login opens no SMTP connection; the other logins still use one each', async () => {
    const { e, relays } = await emulatorAndRelays();
    const { clients } = await runThrough(e, relays, { skip: ['smtp-login'] });
    await clients.close?.();
    await allClosed(relays);
    expect(opened(relays)).toEqual({ imap: 2, pop: 1, smtp: 0 });
  });
});
