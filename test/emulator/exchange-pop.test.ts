// The emulated Exchange POP3 service, judged on the wire and by curl.
import { describe, expect, it } from 'vitest';
import { startPopServer } from '../../src/emulator/exchange/pop.js';
import { encodeXoauth2 } from '../../src/emulator/exchange/xoauth2.js';
import { curlXoauth2, MAILBOX, SERVER_NAME, SP_OBJECT_ID, TokenFactory, makeSigningKeys } from './exchange-fixtures.js';
import { serveForTests } from './exchange-serve.js';
import type { WireClient } from './exchange-wire-client.js';

const lab = serveForTests(startPopServer, { tls: true, greeting: /^\+OK / });
const { pki, tokens, deps, connect } = lab;

/** The two-line form most clients use: AUTH XOAUTH2, then the response after "+ ". */
async function login(token: string, user = MAILBOX): Promise<WireClient> {
  const client = await connect();
  expect(await client.ask('AUTH XOAUTH2', /^\+ /)).toBe('+ ');
  await client.ask(encodeXoauth2(user, token), /^[+-]/);
  return client;
}

describe('greeting and capabilities', () => {
  it('greets like Exchange and lists CAPA', async () => {
    const client = await connect();
    expect(client.lines[0]).toBe(
      `+OK The Microsoft Exchange POP3 service is ready. [${Buffer.from(SERVER_NAME).toString('base64')}]`,
    );
    await client.ask('CAPA', /^\.$/);
    expect(client.lines.slice(1)).toEqual(['+OK', 'TOP', 'UIDL', 'SASL PLAIN XOAUTH2', 'USER', '.']);
  });

  it('refuses maildrop commands before login and USER/PASS always', async () => {
    const client = await connect();
    expect(await client.ask('STAT', /^[+-]/)).toBe('-ERR Command is not valid in this state.');
    expect(await client.ask('USER connector', /^[+-]/)).toBe('+OK');
    expect(await client.ask('PASS hunter2', /^[+-]/)).toBe('-ERR Logon failure: unknown user name or bad password.');
    expect(await client.ask('XYZZY', /^[+-]/)).toBe('-ERR Protocol error. 14');
  });
});

describe('AUTH XOAUTH2', () => {
  it('accepts a delegated token in two steps and serves the maildrop', async () => {
    const client = await login(tokens.delegated());
    expect(client.lines.at(-1)).toBe('+OK User successfully authenticated.');
    const stat = await client.ask('STAT', /^[+-]/);
    expect(stat).toMatch(/^\+OK 3 \d+$/);
    let from = client.lines.length;
    await client.ask('LIST', /^\.$/);
    const list = client.lines.slice(from);
    expect(list[0]).toBe(stat);
    expect(list.slice(1, 4).map((l) => l.split(' ')[0])).toEqual(['1', '2', '3']);
    const total = list.slice(1, 4).reduce((sum, l) => sum + Number(l.split(' ')[1]), 0);
    expect(stat).toBe(`+OK 3 ${total}`);
    from = client.lines.length;
    await client.ask('RETR 3', /^\.$/);
    expect(client.lines.slice(from)).toContain('Subject: Daily mail flow report');
    expect(await client.ask('RETR 9', /^[+-]/)).toBe('-ERR The specified message is out of range.');
    from = client.lines.length;
    client.send('QUIT');
    await client.waitClosed();
    expect(client.lines.slice(from)).toEqual(['+OK Microsoft Exchange Server POP3 server signing off.']);
  });

  it('accepts the initial response on the AUTH line and an app-only token', async () => {
    const client = await connect();
    expect(await client.ask(`AUTH XOAUTH2 ${encodeXoauth2(MAILBOX, tokens.appOnly())}`, /^[+-]/)).toBe(
      '+OK User successfully authenticated.',
    );
  });

  it('cancels on *', async () => {
    const client = await connect();
    await client.ask('AUTH XOAUTH2', /^\+ /);
    expect(await client.ask('*', /^[+-]/)).toBe('-ERR Authentication canceled.');
  });

  const other = makeSigningKeys();
  const rejected: Array<[string, () => string]> = [
    ['bad signature', () => new TokenFactory(other.privateKey).delegated()],
    ['expired token', () => tokens.delegated({ exp: Math.floor(Date.now() / 1000) - 3600 })],
    ['wrong audience', () => tokens.delegated({ aud: 'https://graph.microsoft.com' })],
    ['delegated token without POP scope', () => tokens.delegated({ scp: 'IMAP.AccessAsUser.All' })],
    ['app-only token without POP role', () => tokens.appOnly({ roles: ['IMAP.AccessAsApp'] })],
  ];
  it.each(rejected)('answers the Exchange failure text for a %s', async (_name, token) => {
    const client = await login(token());
    expect(client.lines.at(-1)).toBe('-ERR Authentication failure: unknown user name or bad password.');
  });

  it('rejects a malformed SASL response', async () => {
    const client = await connect();
    await client.ask('AUTH XOAUTH2', /^\+ /);
    expect(await client.ask(Buffer.from('user=x').toString('base64'), /^[+-]/)).toBe(
      '-ERR Authentication failure: unknown user name or bad password.',
    );
  });
});

describe('authenticated but not connected', () => {
  it('when POP is disabled on the mailbox', async () => {
    deps.tenantModel.users[0].mailbox!.popEnabled = false;
    const client = await login(tokens.delegated());
    expect(client.lines.at(-1)).toBe('+OK User successfully authenticated.');
    expect(await client.ask('STAT', /^[+-]/)).toBe('-ERR User is authenticated but not connected.');
    expect(await client.ask('LIST', /^[+-]/)).toBe('-ERR User is authenticated but not connected.');
  });

  it('when the app has no FullAccess on the mailbox', async () => {
    deps.tenantModel.exchange.mailboxPermissions = deps.tenantModel.exchange.mailboxPermissions.filter(
      (p) => p.principal !== SP_OBJECT_ID,
    );
    const client = await login(tokens.appOnly());
    expect(client.lines.at(-1)).toBe('+OK User successfully authenticated.');
    expect(await client.ask('STAT', /^[+-]/)).toBe('-ERR User is authenticated but not connected.');
  });
});

describe('limits and request log', () => {
  it('rejects a line over 16 KiB and closes', async () => {
    const client = await connect();
    client.send(`AUTH XOAUTH2 ${'A'.repeat(20 * 1024)}`);
    await client.waitClosed();
    expect(client.lines.at(-1)).toBe('-ERR Command line too long.');
  });

  it('logs commands with the SASL user and never a token or password', async () => {
    const token = tokens.delegated();
    const client = await login(token);
    await client.ask('STAT', /^[+-]/);
    await client.ask('PASS hunter2', /^[+-]/);
    expect(deps.log.entries.map(({ at: _at, ...e }) => e)).toEqual([
      { service: 'pop', method: 'AUTH', target: 'XOAUTH2', result: '+OK', detail: MAILBOX },
      { service: 'pop', method: 'STAT', target: '', result: '+OK' },
      { service: 'pop', method: 'PASS', target: '', result: '-ERR' },
    ]);
    const logged = JSON.stringify(deps.log.entries);
    expect(logged).not.toContain(token.slice(0, 40));
    expect(logged).not.toContain('hunter2');
  });
});

describe('curl as an independent client', () => {
  it('logs in with XOAUTH2 and lists the maildrop', async () => {
    const { stdout } = await curlXoauth2(pki.caFile, tokens.delegated(), [`pop3s://127.0.0.1:${lab.server.port}/`]);
    expect(
      stdout
        .trim()
        .split(/\r?\n/)
        .map((l) => l.split(' ')[0]),
    ).toEqual(['1', '2', '3']);
    expect(deps.log.count({ service: 'pop', method: 'AUTH', result: '+OK', detail: MAILBOX })).toBe(1);
  });

  it('retrieves a message', async () => {
    const { stdout } = await curlXoauth2(pki.caFile, tokens.delegated(), [`pop3s://127.0.0.1:${lab.server.port}/2`]);
    expect(stdout).toContain('Subject: Connector set-up notes');
  });

  it('reports a login failure for a token of the wrong audience', async () => {
    const failed = await curlXoauth2(pki.caFile, tokens.delegated({ aud: 'https://graph.microsoft.com' }), [
      `pop3s://127.0.0.1:${lab.server.port}/`,
    ]).then(
      () => undefined,
      (err: { code: number }) => err,
    );
    expect(failed?.code).toBe(67);
  });
});
