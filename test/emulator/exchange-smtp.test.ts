// The emulated Exchange SMTP submission service, judged on the wire, by nodemailer and by curl.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { startSmtpServer } from '../../src/emulator/exchange/smtp.js';
import { encodeXoauth2 } from '../../src/emulator/exchange/xoauth2.js';
import { curlXoauth2, MAILBOX, SERVER_NAME, TokenFactory, makeSigningKeys } from './exchange-fixtures.js';
import { serveForTests } from './exchange-serve.js';
import type { WireClient } from './exchange-wire-client.js';

const lab = serveForTests(startSmtpServer, { tls: false, greeting: /^220 / });
const { pki, tokens, deps, connect } = lab;
const AUTH_FAILED = `535 5.7.3 Authentication unsuccessful [${SERVER_NAME}]`;

/** Connect, EHLO, STARTTLS, EHLO again: ready for AUTH. */
async function secured(): Promise<WireClient> {
  const client = await connect();
  await client.ask('EHLO client.example', /^250 /);
  await client.ask('STARTTLS', /^220 /);
  await client.startTls(pki.caPem);
  await client.ask('EHLO client.example', /^250 /);
  return client;
}

async function authenticate(token: string, user = MAILBOX): Promise<{ client: WireClient; reply: string }> {
  const client = await secured();
  const reply = await client.ask(`AUTH XOAUTH2 ${encodeXoauth2(user, token)}`, /^\d{3} /);
  return { client, reply };
}

describe('before STARTTLS', () => {
  it('shows the Exchange banner, offers STARTTLS but no AUTH, and refuses AUTH and MAIL', async () => {
    const client = await connect();
    expect(client.lines[0]).toMatch(
      new RegExp(
        `^220 ${SERVER_NAME} Microsoft ESMTP MAIL Service ready at \\w{3}, \\d{2} \\w{3} \\d{4} \\d{2}:\\d{2}:\\d{2} \\+0000$`,
      ),
    );
    const from = client.lines.length;
    await client.ask('EHLO client.example', /^250 /);
    const ehlo = client.lines.slice(from);
    expect(ehlo[0]).toBe(`250-${SERVER_NAME} Hello [127.0.0.1]`);
    expect(ehlo.some((l) => /^250[- ]STARTTLS$/.test(l))).toBe(true);
    expect(ehlo.some((l) => l.includes('AUTH'))).toBe(false);
    expect(await client.ask(`AUTH XOAUTH2 ${encodeXoauth2(MAILBOX, tokens.delegated())}`, /^\d{3} /)).toBe(
      '504 5.7.4 Unrecognized authentication type',
    );
    expect(await client.ask(`MAIL FROM:<${MAILBOX}>`, /^\d{3} /)).toBe(
      '530 5.7.57 Client not authenticated to send mail.',
    );
  });
});

describe('after STARTTLS', () => {
  it('offers AUTH LOGIN XOAUTH2, authenticates, refuses another sender and accepts a message', async () => {
    const client = await connect();
    await client.ask('EHLO client.example', /^250 /);
    expect(await client.ask('STARTTLS', /^220 /)).toBe('220 2.0.0 SMTP server ready');
    await client.startTls(pki.caPem);
    const from = client.lines.length;
    await client.ask('EHLO client.example', /^250 /);
    expect(client.lines.slice(from)).toContain('250-AUTH LOGIN XOAUTH2');
    expect(client.lines.slice(from).some((l) => l.includes('STARTTLS'))).toBe(false);

    expect(await client.ask(`MAIL FROM:<${MAILBOX}>`, /^\d{3} /)).toBe(
      '530 5.7.57 Client not authenticated to send mail.',
    );
    expect(await client.ask(`AUTH XOAUTH2 ${encodeXoauth2(MAILBOX, tokens.delegated())}`, /^\d{3} /)).toBe(
      '235 2.7.0 Authentication successful',
    );
    expect(await client.ask('MAIL FROM:<ceo@m365doctordemo.onmicrosoft.com>', /^\d{3} /)).toBe(
      '550 5.7.60 SMTP; Client does not have permissions to send as this sender',
    );
    expect(await client.ask(`MAIL FROM:<${MAILBOX}>`, /^\d{3} /)).toBe('250 2.1.0 Sender OK');
    expect(await client.ask('RCPT TO:<someone@example.com>', /^\d{3} /)).toBe('250 2.1.5 Recipient OK');
    expect(await client.ask('DATA', /^\d{3} /)).toBe('354 Start mail input; end with <CRLF>.<CRLF>');
    client.send('Subject: wire test');
    client.send('');
    client.send('hello');
    expect(await client.ask('.', /^\d{3} /)).toMatch(
      new RegExp(`^250 2\\.0\\.0 OK <[0-9a-f-]+@${SERVER_NAME}> \\[Hostname=${SERVER_NAME}\\]$`),
    );
    expect(lab.server.messages.at(-1)).toMatchObject({ from: MAILBOX, to: ['someone@example.com'] });
    expect(lab.server.messages.at(-1)?.raw).toContain('Subject: wire test');
    const before = client.lines.length;
    client.send('QUIT');
    await client.waitClosed();
    expect(client.lines.slice(before)).toEqual(['221 2.0.0 Service closing transmission channel']);
  });

  it('accepts the two-step XOAUTH2 form', async () => {
    const client = await secured();
    expect(await client.ask('AUTH XOAUTH2', /^\d{3}/)).toBe('334 ');
    expect(await client.ask(encodeXoauth2(MAILBOX, tokens.appOnly()), /^\d{3} /)).toBe(
      '235 2.7.0 Authentication successful',
    );
  });

  const other = makeSigningKeys();
  const rejected: Array<[string, () => string]> = [
    ['bad signature', () => new TokenFactory(other.privateKey).delegated()],
    ['expired token', () => tokens.delegated({ exp: Math.floor(Date.now() / 1000) - 3600 })],
    ['wrong audience', () => tokens.delegated({ aud: 'https://graph.microsoft.com' })],
    [
      'delegated token without SMTP.Send',
      () => tokens.delegated({ scp: 'IMAP.AccessAsUser.All POP.AccessAsUser.All' }),
    ],
    ['app-only token without SMTP.SendAsApp', () => tokens.appOnly({ roles: ['IMAP.AccessAsApp', 'POP.AccessAsApp'] })],
    ['token from another tenant', () => tokens.delegated({ tid: '99999999-9999-9999-9999-999999999999' })],
  ];
  it.each(rejected)('answers 535 5.7.3 for a %s', async (_name, token) => {
    expect((await authenticate(token())).reply).toBe(AUTH_FAILED);
  });

  it('answers 535 5.7.3 for a malformed SASL response, inline and two-step', async () => {
    const client = await secured();
    expect(await client.ask(`AUTH XOAUTH2 ${Buffer.from('user=x\x01').toString('base64')}`, /^\d{3} /)).toBe(
      AUTH_FAILED,
    );
    await client.ask('AUTH XOAUTH2', /^334/);
    expect(await client.ask('not base64!', /^\d{3} /)).toBe(AUTH_FAILED);
  });

  it('answers 5.7.139 when SMTP AUTH is disabled for the tenant (mailbox follows the tenant)', async () => {
    deps.tenantModel.exchange.smtpClientAuthenticationDisabled = true;
    expect((await authenticate(tokens.delegated())).reply).toBe(
      `535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [${SERVER_NAME}]`,
    );
    deps.tenantModel.users[0].mailbox!.smtpClientAuthenticationDisabled = false;
    expect((await authenticate(tokens.delegated())).reply).toBe('235 2.7.0 Authentication successful');
  });

  it('answers 5.7.139 when SMTP AUTH is disabled for the mailbox', async () => {
    deps.tenantModel.users[0].mailbox!.smtpClientAuthenticationDisabled = true;
    expect((await authenticate(tokens.delegated())).reply).toBe(
      `535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information. [${SERVER_NAME}]`,
    );
  });

  it('takes an app-only AUTH without a right on the mailbox, and refuses the message at the end of DATA with 430 4.2.0 STOREDRV', async () => {
    deps.tenantModel.exchange.mailboxPermissions = [];
    const { client, reply } = await authenticate(tokens.appOnly());
    expect(reply).toBe('235 2.7.0 Authentication successful');
    const kept = lab.server.messages.length;
    expect(await client.ask(`MAIL FROM:<${MAILBOX}>`, /^\d{3} /)).toBe('250 2.1.0 Sender OK');
    expect(await client.ask('RCPT TO:<someone@example.com>', /^\d{3} /)).toBe('250 2.1.5 Recipient OK');
    await client.ask('DATA', /^354 /);
    expect(await client.ask('Subject: x\r\n\r\nbody\r\n.', /^\d{3} /)).toBe(
      '430 4.2.0 STOREDRV; mailbox logon failure; STOREDRV.Submission.Exception:' +
        `ConnectionFailedTransientException.MapiExceptionLogonFailed; Failed to process message due to a transient exception with message [BeginDiagnosticData]Cannot open mailbox. Server = ${SERVER_NAME}`,
    );
    expect(lab.server.messages.length).toBe(kept);
  });

  it('refuses basic AUTH LOGIN and unknown mechanisms', async () => {
    const client = await secured();
    expect(await client.ask('AUTH PLAIN AGNvbm5lY3RvcgBodW50ZXIy', /^\d{3} /)).toBe(
      '504 5.7.4 Unrecognized authentication type',
    );
    await client.ask('AUTH LOGIN', /^334 /);
    await client.ask(Buffer.from(MAILBOX).toString('base64'), /^334 /);
    expect(await client.ask(Buffer.from('hunter2').toString('base64'), /^\d{3} /)).toBe(
      `535 5.7.139 Authentication unsuccessful, basic authentication is disabled. [${SERVER_NAME}]`,
    );
  });
});

describe('limits and request log', () => {
  it('rejects a line over 16 KiB with 500 and closes', async () => {
    const client = await connect();
    client.send(`EHLO ${'a'.repeat(17 * 1024)}`);
    await client.waitClosed();
    expect(client.lines.at(-1)).toBe('500 5.5.2 Line too long');
  });

  it('logs each command, DATA included, with the SASL user and never a token', async () => {
    const token = tokens.delegated();
    const { client } = await authenticate(token);
    await client.ask(`MAIL FROM:<${MAILBOX}>`, /^\d{3} /);
    await client.ask('RCPT TO:<someone@example.com>', /^\d{3} /);
    await client.ask('DATA', /^354 /);
    await client.ask('Subject: x\r\n\r\nbody\r\n.', /^250 /);
    expect(deps.log.entries.map(({ at: _at, ...e }) => e)).toEqual([
      { service: 'smtp', method: 'EHLO', target: 'client.example', result: '250' },
      { service: 'smtp', method: 'STARTTLS', target: '', result: '220' },
      { service: 'smtp', method: 'EHLO', target: 'client.example', result: '250' },
      { service: 'smtp', method: 'AUTH', target: 'XOAUTH2', result: '235', detail: MAILBOX },
      { service: 'smtp', method: 'MAIL', target: MAILBOX, result: '250' },
      { service: 'smtp', method: 'RCPT', target: 'someone@example.com', result: '250' },
      { service: 'smtp', method: 'DATA', target: '', result: '250' },
    ]);
    const logged = JSON.stringify(deps.log.entries);
    expect(logged).not.toContain(token.slice(0, 40));
    expect(logged).not.toContain(encodeXoauth2(MAILBOX, token).slice(0, 40));
  });
});

describe('independent clients', () => {
  const transport = (accessToken: string) =>
    nodemailer.createTransport({
      host: '127.0.0.1',
      port: lab.server.port,
      secure: false,
      requireTLS: true,
      tls: { ca: pki.caPem, servername: 'localhost' },
      auth: { type: 'OAuth2', user: MAILBOX, accessToken },
    });

  it('nodemailer sends with an OAuth2 access token', async () => {
    const info = await transport(tokens.delegated()).sendMail({
      from: MAILBOX,
      to: 'someone@example.com',
      subject: 'nodemailer test',
      text: 'hi',
    });
    expect(info.response).toMatch(/^250 2\.0\.0 OK /);
    expect(lab.server.messages.at(-1)?.raw).toContain('Subject: nodemailer test');
  });

  it('nodemailer surfaces the 5.7.139 text when SMTP AUTH is disabled', async () => {
    deps.tenantModel.exchange.smtpClientAuthenticationDisabled = true;
    await expect(
      transport(tokens.delegated()).sendMail({ from: MAILBOX, to: 'someone@example.com', text: 'hi' }),
    ).rejects.toMatchObject({
      responseCode: 535,
      response: expect.stringContaining('SmtpClientAuthentication is disabled for the Tenant'),
    });
  });

  it('curl sends with --oauth2-bearer over STARTTLS', async () => {
    const message = join(dirname(pki.caFile), 'message.txt');
    writeFileSync(message, 'Subject: curl test\r\n\r\nsent by curl\r\n');
    await curlXoauth2(pki.caFile, tokens.delegated(), [
      '--ssl-reqd',
      '--mail-from',
      MAILBOX,
      '--mail-rcpt',
      'someone@example.com',
      '--upload-file',
      message,
      `smtp://127.0.0.1:${lab.server.port}`,
    ]);
    expect(lab.server.messages.at(-1)?.raw).toContain('Subject: curl test');
    expect(deps.log.count({ service: 'smtp', method: 'AUTH', result: '235', detail: MAILBOX })).toBe(1);
  });

  it('curl fails to log in with a token lacking SMTP.Send', async () => {
    const failed = await curlXoauth2(pki.caFile, tokens.delegated({ scp: 'IMAP.AccessAsUser.All' }), [
      '--ssl-reqd',
      '--mail-from',
      MAILBOX,
      '--mail-rcpt',
      'someone@example.com',
      '--upload-file',
      '/dev/null',
      `smtp://127.0.0.1:${lab.server.port}`,
    ]).then(
      () => undefined,
      (err: { code: number }) => err,
    );
    expect(failed?.code).toBe(67);
  });
});
