// One Exchange mail server per test file, with its test PKI, signing keys, token factory and wire clients;
// every test starts from a fresh tenant and an empty request log.
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { ExchangeDeps, RunningServer } from '../../src/emulator/exchange/deps.js';
import { TokenFactory, makeDeps, makeSigningKeys, makeTenant, makeTestPki } from './exchange-fixtures.js';
import { WireClient } from './exchange-wire-client.js';

export function serveForTests<S extends RunningServer>(
  start: (deps: ExchangeDeps) => Promise<S>,
  open: { tls: boolean; greeting: RegExp },
) {
  const pki = makeTestPki();
  const keys = makeSigningKeys();
  const deps = makeDeps(pki, keys.publicKey);
  const clients: WireClient[] = [];
  const lab = {
    pki,
    keys,
    deps,
    tokens: new TokenFactory(keys.privateKey),
    /** Set before the first test runs. */
    server: undefined as unknown as S,
    /** A wire client past the server's greeting, ended after the test. */
    async connect(): Promise<WireClient> {
      const client = open.tls
        ? await WireClient.tls(lab.server.port, pki.caPem)
        : await WireClient.plain(lab.server.port);
      clients.push(client);
      await client.waitFor(open.greeting);
      return client;
    },
  };
  beforeAll(async () => {
    lab.server = await start(deps);
  });
  afterAll(async () => {
    await lab.server.close();
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.end();
    deps.tenantModel = makeTenant();
    deps.log.clear();
  });
  return lab;
}
