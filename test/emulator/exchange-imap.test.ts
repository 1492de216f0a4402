// The emulated Exchange IMAP service, judged on the wire, by curl and by imapflow.
import { ImapFlow } from 'imapflow';
import { describe, expect, it } from 'vitest';
import { encodeXoauth2 } from '../../src/emulator/exchange/xoauth2.js';
import { startImapServer } from '../../src/emulator/exchange/imap.js';
import {
  DELEGATE,
  DELEGATE_ID,
  curlXoauth2,
  MAILBOX,
  SERVER_NAME,
  SHARED,
  SP_OBJECT_ID,
  TokenFactory,
  makeSigningKeys,
} from './exchange-fixtures.js';
import { serveForTests } from './exchange-serve.js';
import type { WireClient } from './exchange-wire-client.js';

const lab = serveForTests(startImapServer, { tls: true, greeting: /^\* OK / });
const { pki, tokens, deps, connect } = lab;

async function login(token: string, user = MAILBOX): Promise<WireClient> {
  const client = await connect();
  await client.ask(`a1 AUTHENTICATE XOAUTH2 ${encodeXoauth2(user, token)}`, /^a1 /);
  return client;
}

describe('greeting and pre-login state', () => {
  it('greets like Exchange with the base64 server name and lists Exchange capabilities', async () => {
    const client = await connect();
    expect(client.lines[0]).toBe(
      `* OK The Microsoft Exchange IMAP4 service is ready. [${Buffer.from(SERVER_NAME).toString('base64')}]`,
    );
    await client.ask('c1 CAPABILITY', /^c1 /);
    expect(client.lines.slice(1)).toEqual([
      '* CAPABILITY IMAP4 IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2 SASL-IR UIDPLUS ID UNSELECT CHILDREN IDLE NAMESPACE LITERAL+',
      'c1 OK CAPABILITY completed.',
    ]);
  });

  it('refuses mailbox commands before login and basic LOGIN always', async () => {
    const client = await connect();
    expect(await client.ask('b1 SELECT INBOX', /^b1 /)).toBe('b1 BAD Command received in Invalid state.');
    expect(await client.ask('b2 LOGIN connector secret', /^b2 /)).toBe('b2 NO LOGIN failed.');
    expect(await client.ask('b3 FROBNICATE', /^b3 /)).toBe('b3 BAD Command Error. 12');
    expect(await client.ask('b4 NOOP', /^b4 /)).toBe('b4 OK NOOP completed.');
  });
});

describe('AUTHENTICATE XOAUTH2', () => {
  it('accepts a delegated token with SASL-IR and serves the mailbox', async () => {
    const client = await login(tokens.delegated());
    expect(client.lines.at(-1)).toBe('a1 OK AUTHENTICATE completed.');

    let from = client.lines.length;
    await client.ask('a2 LIST "" "*"', /^a2 /);
    const listed = client.lines.slice(from);
    expect(listed).toContain('* LIST (\\Marked \\HasNoChildren) "/" INBOX');
    expect(listed).toContain('* LIST (\\HasNoChildren \\Sent) "/" "Sent Items"');
    expect(listed.at(-1)).toBe('a2 OK LIST completed.');

    from = client.lines.length;
    await client.ask('a3 EXAMINE INBOX', /^a3 /);
    expect(client.lines.slice(from)).toEqual([
      '* 3 EXISTS',
      '* 0 RECENT',
      '* FLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft $MDNSent)',
      '* OK [PERMANENTFLAGS ()] Permanent flags',
      '* OK [UNSEEN 3] Is the first unseen message',
      '* OK [UIDVALIDITY 14] UIDVALIDITY value',
      '* OK [UIDNEXT 4] The next unique identifier value',
      'a3 OK [READ-ONLY] EXAMINE completed.',
    ]);
    expect(await client.ask('a4 SELECT "INBOX"', /^a4 /)).toBe('a4 OK [READ-WRITE] SELECT completed.');

    from = client.lines.length;
    await client.ask('a5 STATUS INBOX (MESSAGES UNSEEN UIDNEXT)', /^a5 /);
    expect(client.lines.slice(from)).toEqual([
      '* STATUS INBOX (MESSAGES 3 UNSEEN 1 UIDNEXT 4)',
      'a5 OK STATUS completed.',
    ]);

    from = client.lines.length;
    client.send('a6 LOGOUT');
    await client.waitClosed();
    expect(client.lines.slice(from)).toEqual([
      '* BYE Microsoft Exchange Server IMAP4 server signing off.',
      'a6 OK LOGOUT completed.',
    ]);
  });

  it('fetches messages by sequence number and UID', async () => {
    const client = await login(tokens.delegated());
    expect(await client.ask('f0 FETCH 1 FLAGS', /^f0 /)).toBe('f0 BAD Command received in Invalid state.');
    await client.ask('f1 SELECT INBOX', /^f1 /);
    let from = client.lines.length;
    await client.ask('f2 FETCH 1:* (FLAGS RFC822.SIZE)', /^f2 /);
    expect(client.lines.slice(from).map((l) => l.replace(/RFC822\.SIZE \d+/, 'RFC822.SIZE n'))).toEqual([
      '* 1 FETCH (FLAGS (\\Seen) RFC822.SIZE n)',
      '* 2 FETCH (FLAGS (\\Seen) RFC822.SIZE n)',
      '* 3 FETCH (FLAGS () RFC822.SIZE n)',
      'f2 OK FETCH completed.',
    ]);
    from = client.lines.length;
    await client.ask('f3 UID FETCH 3 BODY.PEEK[HEADER]', /^f3 /);
    expect(client.lines[from]).toMatch(/^\* 3 FETCH \(UID 3 BODY\[HEADER\] \{\d+\}$/);
    expect(client.lines.slice(from)).toContain('Subject: Daily mail flow report');
    expect(client.lines.at(-1)).toBe('f3 OK UID FETCH completed.');
    expect(await client.ask('f4 FETCH 1 (BODY[HEADER.FIELDS (FROM)])', /^f4 /)).toBe(
      'f4 BAD Command Argument Error. 11',
    );
  });

  it('accepts the two-step form and cancels on *', async () => {
    const client = await connect();
    expect(await client.ask('t1 AUTHENTICATE XOAUTH2', /^\+/)).toBe('+ ');
    expect(await client.ask('*', /^t1 /)).toMatch(/^t1 BAD /);
    expect(await client.ask('t2 AUTHENTICATE XOAUTH2', /^\+/)).toBe('+ ');
    expect(await client.ask(encodeXoauth2(MAILBOX, tokens.delegated()), /^t2 /)).toBe('t2 OK AUTHENTICATE completed.');
  });

  it('accepts an app-only token registered in Exchange with FullAccess', async () => {
    const client = await login(tokens.appOnly());
    expect(client.lines.at(-1)).toBe('a1 OK AUTHENTICATE completed.');
    expect(await client.ask('a2 EXAMINE INBOX', /^a2 /)).toBe('a2 OK [READ-ONLY] EXAMINE completed.');
  });

  it('lets a delegate with FullAccess open a shared mailbox', async () => {
    const client = await login(tokens.delegated({ upn: DELEGATE, oid: DELEGATE_ID }), SHARED);
    expect(client.lines.at(-1)).toBe('a1 OK AUTHENTICATE completed.');
  });

  const other = makeSigningKeys();
  const rejected: Array<[string, () => string, string?]> = [
    ['bad signature', () => new TokenFactory(other.privateKey).delegated()],
    ['expired token', () => tokens.delegated({ exp: Math.floor(Date.now() / 1000) - 3600 })],
    ['wrong audience (Graph)', () => tokens.delegated({ aud: 'https://graph.microsoft.com' })],
    ['token from another tenant', () => tokens.delegated({ tid: '99999999-9999-9999-9999-999999999999' })],
    ['delegated token without IMAP scope', () => tokens.delegated({ scp: 'POP.AccessAsUser.All SMTP.Send' })],
    ['app-only token without IMAP role', () => tokens.appOnly({ roles: ['POP.AccessAsApp'] })],
    ['app-only token without roles', () => tokens.appOnly({ roles: undefined })],
    ['token of another user without FullAccess', () => tokens.delegated({ upn: DELEGATE, oid: DELEGATE_ID })],
    ['mailbox nobody owns', () => tokens.delegated(), 'nobody@m365doctordemo.onmicrosoft.com'],
  ];
  it.each(rejected)('answers NO AUTHENTICATE failed. for a %s', async (_name, token, user) => {
    const client = await login(token(), user);
    expect(client.lines.at(-1)).toBe('a1 NO AUTHENTICATE failed.');
    expect(await client.ask('a2 EXAMINE INBOX', /^a2 /)).toBe('a2 BAD Command received in Invalid state.');
  });

  it('rejects app-only logins when the Exchange registration is missing or names the app registration', async () => {
    deps.tenantModel.exchange.servicePrincipals[0].objectId = deps.tenantModel.applications[0].id;
    expect((await login(tokens.appOnly())).lines.at(-1)).toBe('a1 NO AUTHENTICATE failed.');
    deps.tenantModel.exchange.servicePrincipals = [];
    expect((await login(tokens.appOnly())).lines.at(-1)).toBe('a1 NO AUTHENTICATE failed.');
  });

  it('rejects a user without a mailbox (no licence)', async () => {
    deps.tenantModel.users[0].mailbox = null;
    expect((await login(tokens.delegated())).lines.at(-1)).toBe('a1 NO AUTHENTICATE failed.');
  });
});

describe('authenticated but not connected', () => {
  async function expectNotConnected(client: WireClient, command: string) {
    expect(client.lines.at(-1)).toBe('a1 OK AUTHENTICATE completed.');
    const from = client.lines.length;
    client.send(`a2 ${command}`);
    await client.waitClosed();
    expect(client.lines.slice(from)).toEqual([
      'a2 BAD User is authenticated but not connected.',
      '* BYE Connection closed. 14',
    ]);
  }

  it('when IMAP is disabled on the mailbox', async () => {
    deps.tenantModel.users[0].mailbox!.imapEnabled = false;
    await expectNotConnected(await login(tokens.delegated()), 'EXAMINE INBOX');
  });

  it('when the app has no FullAccess on the mailbox', async () => {
    deps.tenantModel.exchange.mailboxPermissions = deps.tenantModel.exchange.mailboxPermissions.filter(
      (p) => p.principal !== SP_OBJECT_ID,
    );
    await expectNotConnected(await login(tokens.appOnly()), 'LIST "" "*"');
  });
});

describe('limits and request log', () => {
  it('rejects a line over 16 KiB and closes', async () => {
    const client = await connect();
    client.send(`x1 NOOP ${'a'.repeat(17 * 1024)}`);
    await client.waitClosed();
    expect(client.lines.at(-1)).toBe('* BAD Command line too long.');
  });

  it('takes IMAP literals, synchronizing and LITERAL+', async () => {
    const client = await login(tokens.delegated());
    expect(await client.ask('l1 EXAMINE {5}', /^\+ /)).toBe('+ Ready for additional command text.');
    expect(await client.ask('INBOX', /^l1 /)).toBe('l1 OK [READ-ONLY] EXAMINE completed.');
    client.send('l2 STATUS {5+}');
    expect(await client.ask('INBOX (MESSAGES)', /^l2 /)).toBe('l2 OK STATUS completed.');
    expect(client.lines).toContain('* STATUS INBOX (MESSAGES 3)');
  });

  it('logs every command with the SASL user and never the token', async () => {
    const token = tokens.delegated();
    const client = await login(token);
    await client.ask('a2 SELECT INBOX', /^a2 /);
    await client.ask('a3 LOGIN connector@x hunter2', /^a3 /);
    const bad = await login(tokens.delegated({ aud: 'https://graph.microsoft.com' }));
    bad.end();
    expect(deps.log.entries.map(({ at: _at, ...e }) => e)).toEqual([
      { service: 'imap', method: 'AUTHENTICATE', target: 'XOAUTH2', result: 'OK', detail: MAILBOX },
      { service: 'imap', method: 'SELECT', target: 'INBOX', result: 'OK' },
      { service: 'imap', method: 'LOGIN', target: 'connector@x', result: 'BAD', detail: 'connector@x' },
      { service: 'imap', method: 'AUTHENTICATE', target: 'XOAUTH2', result: 'NO', detail: MAILBOX },
    ]);
    const logged = JSON.stringify(deps.log.entries);
    expect(logged).not.toContain(token.slice(0, 40));
    expect(logged).not.toContain(encodeXoauth2(MAILBOX, token).slice(0, 40));
    expect(logged).not.toContain('hunter2');
  });
});

describe('independent clients', () => {
  it('curl logs in with XOAUTH2 and lists INBOX', async () => {
    const { stdout } = await curlXoauth2(pki.caFile, tokens.delegated(), [
      `imaps://127.0.0.1:${lab.server.port}/INBOX`,
    ]);
    expect(stdout).toContain('* LIST (\\Marked \\HasNoChildren) "/" INBOX');
    expect(deps.log.count({ method: 'AUTHENTICATE', result: 'OK', detail: MAILBOX })).toBe(1);
  });

  it('curl fetches a message by UID', async () => {
    const { stdout } = await curlXoauth2(pki.caFile, tokens.delegated(), [
      `imaps://127.0.0.1:${lab.server.port}/INBOX/;UID=2`,
    ]);
    expect(stdout).toContain('Subject: Connector set-up notes');
    expect(stdout).toContain('IMAP, POP and SMTP use OAuth 2.0 (XOAUTH2) here.');
  });

  it('curl reports a login failure for an expired token', async () => {
    const failed = await curlXoauth2(pki.caFile, tokens.delegated({ exp: 1_000_000 }), [
      `imaps://127.0.0.1:${lab.server.port}/INBOX`,
    ]).then(
      () => undefined,
      (err: { code: number }) => err,
    );
    expect(failed?.code).toBe(67); // CURLE_LOGIN_DENIED
  });

  it('imapflow logs in with an access token and opens INBOX', async () => {
    const client = new ImapFlow({
      host: '127.0.0.1',
      port: lab.server.port,
      secure: true,
      tls: { ca: pki.caPem, servername: 'localhost' },
      auth: { user: MAILBOX, accessToken: tokens.delegated() },
      logger: false,
    });
    await client.connect();
    const box = await client.mailboxOpen('INBOX', { readOnly: true });
    expect(box.exists).toBe(3);
    expect(box.uidValidity).toBe(14n);
    const status = await client.status('INBOX', { messages: true, unseen: true, uidNext: true });
    expect(status).toMatchObject({ messages: 3, unseen: 1, uidNext: 4 });
    const message = await client.fetchOne('3', { uid: true, flags: true, envelope: true, source: true });
    expect(message).toMatchObject({
      uid: 3,
      envelope: { subject: 'Daily mail flow report', from: [{ address: 'monitor@m365doctordemo.onmicrosoft.com' }] },
    });
    expect(message && message.source?.toString()).toContain('All mail flow checks passed.');
    const folders = await client.list();
    expect(folders.map((f) => f.path)).toContain('Sent Items');
    await client.logout();
  });

  it('imapflow fails to log in with a token lacking the IMAP scope', async () => {
    const client = new ImapFlow({
      host: '127.0.0.1',
      port: lab.server.port,
      secure: true,
      tls: { ca: pki.caPem, servername: 'localhost' },
      auth: { user: MAILBOX, accessToken: tokens.delegated({ scp: 'SMTP.Send' }) },
      logger: false,
    });
    client.on('error', () => undefined);
    await expect(client.connect()).rejects.toMatchObject({ authenticationFailed: true });
    client.close();
  });
});
