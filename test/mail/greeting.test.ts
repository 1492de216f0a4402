// A server that turns the session away in its greeting (IMAP "* BYE", POP "-ERR") is a SERVER_ERROR in
// the greeting phase that quotes the server; a greeting of the wrong protocol is a BAD_RESPONSE.
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createClients } from '../../src/clients/create.js';
import { resolveConfig } from '../../src/config/resolve.js';
import { emulatorCa, loopbackServerCert } from '../../src/emulator/tls.js';
import { silentLogger } from '../../src/core/log.js';
import { Redactor } from '../../src/core/redact.js';

const servers: tls.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

async function greeter(greeting: string): Promise<string> {
  const server = tls.createServer(loopbackServerCert(), (s) => {
    s.on('error', () => {});
    s.end(`${greeting}\r\n`);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function login(protocol: 'imap' | 'pop', greeting: string) {
  const at = await greeter(greeting);
  const redactor = new Redactor();
  const { config } = resolveConfig(
    [
      {
        label: (key) => key,
        values: {
          tenant: 'contoso.com',
          clientId: '00000000-0000-0000-0000-000000000001',
          username: 'box@contoso.com',
          password: 'pw',
          caPem: emulatorCa().caPem,
          imap: at,
          pop: at,
        },
      },
    ],
    redactor,
  );
  const clients = createClients(config, { redactor, log: silentLogger });
  try {
    return await clients.mail[protocol]({ user: config.username, accessToken: 'x' }).then(
      () => undefined,
      (err: unknown) => err,
    );
  } finally {
    await clients.close?.();
  }
}

describe('mail greetings', () => {
  it.each([
    ['imap', '* BYE Server busy, try later', 'SERVER_ERROR', /refused the session: \* BYE Server busy/],
    ['pop', '-ERR Server busy', 'SERVER_ERROR', /refused the session: -ERR Server busy/],
    ['imap', '+OK POP3 ready', 'BAD_RESPONSE', /where an IMAP greeting/],
    ['pop', '* OK IMAP ready', 'BAD_RESPONSE', /where a POP3 greeting/],
  ] as const)('%s greeted with "%s": %s', async (protocol, greeting, code, message) => {
    const err = await login(protocol, greeting);
    expect(err).toMatchObject({ code, phase: 'greeting', message: expect.stringMatching(message) });
  });
});
