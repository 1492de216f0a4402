// Fault modes and limits of the emulated mail servers: broken greetings, resets, slow bytes, huge replies, idle drop.
import { afterEach, describe, expect, it } from 'vitest';
import type { ExchangeDeps, ExchangeFaults, RunningServer } from '../../src/emulator/exchange/deps.js';
import { GARBAGE_GREETING } from '../../src/emulator/exchange/faults.js';
import { startImapServer } from '../../src/emulator/exchange/imap.js';
import { startPopServer } from '../../src/emulator/exchange/pop.js';
import { startSmtpServer } from '../../src/emulator/exchange/smtp.js';
import { SERVER_NAME, makeDeps, makeSigningKeys, makeTestPki } from './exchange-fixtures.js';
import { WireClient } from './exchange-wire-client.js';

const pki = makeTestPki();
const keys = makeSigningKeys();
const running: RunningServer[] = [];
const clients: WireClient[] = [];
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(async () => {
  for (const c of clients.splice(0)) c.end();
  await Promise.all(running.splice(0).map((s) => s.close()));
});

type Kind = 'imap' | 'pop' | 'smtp';
const starters: Record<Kind, (d: ExchangeDeps) => Promise<RunningServer>> = {
  imap: startImapServer,
  pop: startPopServer,
  smtp: startSmtpServer,
};
const GREETING: Record<Kind, RegExp> = {
  imap: /^\* OK The Microsoft Exchange IMAP4 service is ready\./,
  pop: /^\+OK The Microsoft Exchange POP3 service is ready\./,
  smtp: new RegExp(`^220 ${SERVER_NAME} Microsoft ESMTP`),
};

async function open(kind: Kind, extra: Partial<ExchangeDeps> & { faults?: ExchangeFaults }): Promise<WireClient> {
  const server = await starters[kind]({ ...makeDeps(pki, keys.publicKey), ...extra });
  running.push(server);
  const client = kind === 'smtp' ? await WireClient.plain(server.port) : await WireClient.tls(server.port, pki.caPem);
  clients.push(client);
  return client;
}

describe.each<Kind>(['imap', 'pop', 'smtp'])('%s faults', (kind) => {
  it('garbage greeting', async () => {
    const client = await open(kind, { faults: { greeting: 'garbage' } });
    await client.waitFor(/NOT-A-MAIL-SERVER/);
    expect(client.received).toBe(GARBAGE_GREETING);
  });

  it('truncated greeting, then the connection closes', async () => {
    const client = await open(kind, { faults: { greeting: 'truncated' } });
    await client.waitClosed();
    expect(client.lines).toEqual([]);
    expect(client.received.length).toBeGreaterThan(10);
    expect(client.received).not.toContain('\n');
  });

  it('no greeting at all', async () => {
    const client = await open(kind, { faults: { greeting: 'none' } });
    await pause(400);
    expect(client.received).toBe('');
    expect(client.closed).toBe(false);
  });

  it('reset after the greeting', async () => {
    const client = await open(kind, { faults: { resetAfterGreeting: true } });
    await client.waitClosed();
    expect(client.lines[0]).toMatch(GREETING[kind]);
    expect(client.error?.code).toBe('ECONNRESET');
  });

  it('oversized first reply', async () => {
    const client = await open(kind, { faults: { oversizedLine: true } });
    await client.waitFor(GREETING[kind]);
    client.send(kind === 'imap' ? 'c1 CAPABILITY' : kind === 'pop' ? 'CAPA' : 'EHLO client.example');
    await client.waitFor(/x{65536}/);
    expect(Math.max(...client.lines.map((l) => l.length))).toBeGreaterThan(64 * 1024);
  });

  it('drops an idle client with a last word', async () => {
    const client = await open(kind, { idleTimeoutMs: 300 });
    await client.waitFor(GREETING[kind]);
    await client.waitClosed(3000);
    const last = { imap: '* BYE Connection closed. 14', pop: '-ERR Connection timed out.', smtp: /^421 / }[kind];
    if (typeof last === 'string') expect(client.lines.at(-1)).toBe(last);
    else expect(client.lines.at(-1)).toMatch(last);
  });
});

describe('slow server bytes', () => {
  it('drips the SMTP banner at the configured rate', async () => {
    const started = Date.now();
    const client = await open('smtp', { faults: { dripBytesPerSecond: 200 } });
    const banner = await client.waitFor(/^220 /, 0, 5000);
    const elapsed = Date.now() - started;
    // About 100 bytes at 200 B/s: half a second, give or take one tick.
    expect(elapsed).toBeGreaterThan((Buffer.byteLength(banner) / 200) * 1000 - 150);
    expect(banner).toMatch(GREETING.smtp);
  });

  it('still speaks TLS through the drip (IMAP)', async () => {
    const client = await open('imap', { faults: { dripBytesPerSecond: 50_000 } });
    await client.waitFor(GREETING.imap);
    expect(await client.ask('c1 NOOP', /^c1 /)).toBe('c1 OK NOOP completed.');
  });
});

describe('close()', () => {
  it.each<Kind>(['imap', 'pop', 'smtp'])('%s: drops open clients and frees the port at once', async (kind) => {
    const server = await starters[kind](makeDeps(pki, keys.publicKey));
    const client = kind === 'smtp' ? await WireClient.plain(server.port) : await WireClient.tls(server.port, pki.caPem);
    clients.push(client);
    await client.waitFor(GREETING[kind]);
    const started = Date.now();
    await server.close();
    await client.waitClosed(1000);
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(WireClient.plain(server.port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
