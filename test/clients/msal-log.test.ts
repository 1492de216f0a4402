// MSAL's own log reaches --verbose through the run's logger, scrubbed there; without --verbose MSAL is asked for
// errors only, so a run does not build its verbose messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenBroker } from '../../src/auth/broker.js';
import { createHttpsTransport } from '../../src/net/https.js';
import { Redactor } from '../../src/core/redact.js';
import { createLogger } from '../../src/output/logger.js';
import { CLIENT_SECRET, PASSWORD, testConfig } from './helpers/config.js';
import { startFakeEntra, type FakeEntra } from './helpers/fake-entra.js';
import { createTestCa } from './helpers/test-ca.js';

const ca = createTestCa();
let entra: FakeEntra;
beforeAll(async () => {
  entra = await startFakeEntra(ca.issue());
});
afterAll(async () => {
  await entra.close();
});

async function run(level: 'debug' | 'warn'): Promise<string[]> {
  const config = testConfig({
    caPem: ca.caPem,
    endpoints: { authorityHost: entra.url, graphUrl: 'https://127.0.0.1:1' },
  });
  const redactor = new Redactor();
  redactor.add(CLIENT_SECRET);
  redactor.add(PASSWORD);
  const lines: string[] = [];
  const log = createLogger(level, redactor, (l) => lines.push(l));
  const transport = createHttpsTransport({ caPem: config.caPem, timeoutMs: config.timeoutMs });
  const broker = createTokenBroker(config, { transport, redactor, log });
  const [app, user] = await Promise.all([broker.appOnly('graph'), broker.ropc()]);
  for (const l of lines) {
    for (const secret of [CLIENT_SECRET, PASSWORD, app.accessToken, user.accessToken]) expect(l).not.toContain(secret);
  }
  return lines;
}

describe("MSAL's log", () => {
  it('with --verbose (debug), its messages come through the logger, scrubbed', async () => {
    const lines = await run('debug');
    expect(lines.filter((l) => l.startsWith('[debug] msal: ')).length).toBeGreaterThan(5);
  });

  it('without --verbose, the logger says debug is off and nothing of it is written', async () => {
    expect(createLogger('warn', new Redactor(), () => undefined).debugEnabled).toBe(false);
    expect(createLogger('debug', new Redactor(), () => undefined).debugEnabled).toBe(true);
    const lines = await run('warn');
    expect(lines.filter((l) => l.includes('msal:'))).toEqual([]);
  });
});
