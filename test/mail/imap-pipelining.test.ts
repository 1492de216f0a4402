// IMAP LOGOUT is pipelined with EXAMINE: the login's exchanges with the server, counted by the bench's delay
// proxy, are one fewer than with LOGOUT on its own round trip, and the server still answers both.
import { afterEach, describe, expect, it } from 'vitest';
import { startDelayProxy, type DelayProxy } from '../../bench/delay-proxy.js';
import { createClients } from '../../src/clients/create.js';
import { resolveConfig } from '../../src/config/resolve.js';
import { demoLayer } from '../../src/cli/demo.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { silentLogger } from '../../src/core/log.js';
import { Redactor } from '../../src/core/redact.js';

const open: Array<{ stop?: () => Promise<void>; close?: () => Promise<void> }> = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await (o.stop ?? o.close)!();
});

describe('IMAP login round trips', () => {
  it('sends LOGOUT with EXAMINE: TLS, greeting, CAPABILITY, AUTHENTICATE, EXAMINE+LOGOUT', async () => {
    const e: RunningEmulator = await startEmulator();
    open.push(e);
    const proxy: DelayProxy = await startDelayProxy({ service: 'imap', target: e.imap, rttMs: 30 });
    open.push(proxy);
    const redactor = new Redactor();
    const layer = demoLayer({ ...e, imap: { host: proxy.host, port: proxy.port } } as RunningEmulator, {});
    const { config } = resolveConfig([{ values: layer.values, label: layer.label }], redactor);
    const clients = createClients(config, { redactor, log: silentLogger });
    const token = await clients.tokens.ropc();
    const r = await clients.mail.imap({ user: config.username, accessToken: token.accessToken });
    expect(r.authenticated).toBe(true);
    expect(r.afterAuthOk).toBe(true);
    expect(r.phase).toBe('logout');
    // The LOGOUT's answer is read after the login returned.
    while (!e.log.entries.some((x) => x.service === 'imap' && x.method === 'LOGOUT'))
      await new Promise((res) => setTimeout(res, 5));
    const imap = e.log.entries.filter((x) => x.service === 'imap').map((x) => `${x.method} ${x.result}`);
    expect(imap).toEqual(['CAPABILITY OK', 'AUTHENTICATE OK', 'EXAMINE OK', 'LOGOUT OK']);
    expect(proxy.connections).toHaveLength(1);
    // TLS handshake, TLS finish + greeting, CAPABILITY, AUTHENTICATE, EXAMINE with LOGOUT (TLS 1.3 session
    // tickets may ride a flight of their own; they are not an exchange the client waits for).
    expect(proxy.connections[0].flights.length).toBeLessThanOrEqual(5);
    await clients.close?.();
  });
});
