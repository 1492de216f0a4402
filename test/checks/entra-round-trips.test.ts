// The Entra requests of a full run, from the emulator's request log: the realm is asked at run start, MSAL adds
// no metadata request of its own (it is handed the discovery document), and the one ROPC POST still comes only
// after the realm answer, and not at all when the realm forbids it.
import { describe, expect, it } from 'vitest';
import tenantDiscovery from '../../checks/tenant-discovery.js';
import type { Clients } from '../../src/clients/types.js';
import type { ResolvedConfig } from '../../src/config/types.js';
import { silentLogger } from '../../src/core/log.js';
import { Secret } from '../../src/core/secret.js';
import { runScenario } from './run-scenario.js';

describe('Entra requests of a full run', () => {
  it('healthy: one discovery GET, one realm GET, no MSAL discovery, ROPC after the realm answer', async () => {
    const { emulator, results } = await runScenario('healthy');
    expect(results.get('ropc-token')?.status).toBe('pass');
    const entra = emulator.log.entries.filter((e) => e.service === 'entra');
    const gets = entra.filter((e) => e.method === 'GET').map((e) => e.target.split('?')[0]);
    expect(gets.filter((t) => t.includes('openid-configuration'))).toHaveLength(1);
    expect(gets.filter((t) => t.includes('/userrealm/'))).toHaveLength(1);
    // Nothing else: no instance discovery (discovery/instance), no second metadata fetch.
    expect(gets).toHaveLength(2);
    const realmAnswered = entra.findIndex((e) => e.target.includes('/userrealm/'));
    const ropc = entra.findIndex((e) => e.method === 'POST' && e.detail === 'password');
    expect(entra.filter((e) => e.detail === 'password')).toHaveLength(1);
    expect(ropc).toBeGreaterThan(realmAnswered);
  });

  it('a realm answer that forbids the password grant still prevents the ROPC POST', async () => {
    // A user name in a domain Entra does not know: the realm says Unknown, so the attempt could only fail.
    const { emulator, results } = await runScenario('healthy', { username: 'connector@not-a-tenant.example' });
    expect(results.get('user-realm')).toMatchObject({ status: 'fail', code: 'UNKNOWN_REALM' });
    expect(emulator.log.entries.filter((e) => e.service === 'entra' && e.detail === 'password')).toHaveLength(0);
  });
});

describe('Entra connections opened at start', () => {
  it('one per request sent at start: 4 with a directory reader that signs in with a secret, else 3', () => {
    const opened: Array<[string, number]> = [];
    const prepareWith = (admin: ResolvedConfig['admin']) =>
      tenantDiscovery.prepare?.({
        config: { admin } as ResolvedConfig,
        clients: { preconnectHttps: (service: string, n: number) => opened.push([service, n]) } as unknown as Clients,
        log: silentLogger,
      });
    prepareWith({ kind: 'client-secret', clientId: 'reader', clientSecret: new Secret('r3ader-secret') });
    prepareWith({ kind: 'device-code' });
    prepareWith(undefined);
    expect(opened).toEqual([
      ['entra', 4],
      ['entra', 3],
      ['entra', 3],
    ]);
  });
});
