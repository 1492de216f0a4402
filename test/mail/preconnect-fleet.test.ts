// Fleet mode closes each target's clients after its run: sessions pre-connected for logins that never ran (the
// ROPC token failed) end with LOGOUT / QUIT, sent no AUTH, and none is left open when runFleet returns.
import { afterAll, describe, expect, it } from 'vitest';
import { builtinChecks } from '../../checks/index.js';
import { demoLayer } from '../../src/cli/demo.js';
import { startEmulator } from '../../src/emulator/index.js';
import { runFleet } from '../../src/fleet/run-fleet.js';
import { Redactor } from '../../src/core/redact.js';
import { relaysFor } from './helpers/run.js';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.allSettled(cleanups.map((c) => c()));
});

describe('fleet', () => {
  it("closes every target's unused pre-connected sessions when its run ends", async () => {
    const e = await startEmulator({ scenario: 'wrong-password' });
    cleanups.push(() => e.stop());
    const relays = await relaysFor(e);
    cleanups.push(...Object.values(relays).map((r) => () => r.close()));
    const mail = {
      values: { imap: relays.imap.hostPort, pop: relays.pop.hostPort, smtp: relays.smtp.hostPort },
      label: (k: string) => `--${k}`,
    };
    const targets = [0, 1].map((index) => ({ index, name: `t${index}`, layers: [mail, demoLayer(e, {})] }));
    const run = await runFleet({
      targets,
      checks: builtinChecks,
      concurrency: 2,
      version: '0.0.0',
      redactor: new Redactor(),
    });
    run.spool.dispose();
    // Two targets: imap-login and exchange-app-access pre-connect IMAP, pop-login POP, smtp-login SMTP.
    expect({ imap: relays.imap.opened, pop: relays.pop.opened, smtp: relays.smtp.opened }).toEqual({
      imap: 4,
      pop: 2,
      smtp: 2,
    });
    await Promise.all(Object.values(relays).map((r) => r.allClosed()));
    const count = (service: 'imap' | 'pop' | 'smtp', method: string) => e.log.count({ service, method });
    expect([count('smtp', 'QUIT'), count('smtp', 'AUTH')]).toEqual([2, 0]);
    expect([count('pop', 'QUIT'), count('pop', 'AUTH')]).toEqual([2, 0]);
    // exchange-app-access still logs in app-only (no ROPC token needed); imap-login's sessions only say LOGOUT.
    expect([count('imap', 'LOGOUT'), count('imap', 'AUTHENTICATE')]).toEqual([4, 2]);
  }, 60_000);
});
