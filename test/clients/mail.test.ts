// SASL XOAUTH2 logins on IMAP, POP and SMTP against Exchange-shaped loopback servers and a real smtp-server.
import { afterEach, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../src/core/log.js';
import { createMailConnector } from '../../src/mail/connector.js';
import { Redactor } from '../../src/core/redact.js';
import { testConfig } from './helpers/config.js';
import { CHALLENGE_JSON, imapDialog, parseXoauth2, popDialog, type Verdict } from './helpers/exchange-like.js';
import { fakeJwt } from './helpers/fake-entra.js';
import { startScriptedServer, type ScriptedServer } from './helpers/scripted-server.js';
import { createTestCa } from './helpers/test-ca.js';

const ca = createTestCa();
const tlsMaterial = ca.issue();
const USER = 'connector@contoso.test';
const TOKEN = fakeJwt({ aud: 'https://outlook.office.com', upn: USER, scp: 'IMAP.AccessAsUser.All' });
const BAD = fakeJwt({ aud: 'https://graph.microsoft.com', upn: USER });
const verdict =
  (notConnected = false) =>
  (user: string, token: string): Verdict =>
    token !== TOKEN || user !== USER ? 'bad-token' : notConnected ? 'not-connected' : 'ok';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const logLines: string[] = [];
const captureLog: Logger = {
  debug: (m, d) => logLines.push(`${m} ${JSON.stringify(d ?? {})}`),
  info: () => {},
  warn: () => {},
};

function connector(ports: { imap?: number; pop?: number; smtp?: number }, timeoutMs = 3000) {
  const redactor = new Redactor();
  const config = testConfig({
    caPem: ca.caPem,
    timeoutMs,
    endpoints: {
      imap: { host: '127.0.0.1', port: ports.imap ?? 1 },
      pop: { host: '127.0.0.1', port: ports.pop ?? 1 },
      smtp: { host: '127.0.0.1', port: ports.smtp ?? 1 },
    },
  });
  return createMailConnector(config, { redactor, log: captureLog });
}

async function serve(
  script: Parameters<typeof startScriptedServer>[0]['script'],
  secure = true,
): Promise<ScriptedServer & { lines: string[][] }> {
  const lines: string[][] = [];
  const s = await startScriptedServer({
    tls: secure ? tlsMaterial : undefined,
    script: async (c) => {
      lines.push(c.received);
      await script(c);
    },
  });
  cleanups.push(() => s.close());
  return Object.assign(s, { lines });
}

function expectNoSecrets(value: unknown) {
  const text = JSON.stringify(value) + logLines.join('\n');
  expect(text).not.toContain(TOKEN);
  expect(text).not.toContain(BAD);
  expect(text).not.toContain(Buffer.from(`user=${USER}\x01auth=Bearer ${TOKEN}\x01\x01`).toString('base64'));
}

describe('IMAP', () => {
  it('logs in with SASL-IR, examines INBOX and logs out', async () => {
    const s = await serve(imapDialog({ verdict: verdict() }));
    const r = await connector({ imap: s.port }).imap({ user: USER, accessToken: TOKEN });
    expect(r).toMatchObject({
      protocol: 'imap',
      authenticated: true,
      phase: 'logout',
      authLine: 'A2 OK AUTHENTICATE completed.',
      afterAuthOk: true,
      afterAuthLine: 'A3 OK [READ-ONLY] EXAMINE completed.',
      reply: { command: 'EXAMINE', status: 'OK', responseCode: 'READ-ONLY' },
    });
    expect(r.greeting).toMatch(/^\* OK The Microsoft Exchange IMAP4 service is ready/);
    expect(r.capabilities).toEqual(expect.arrayContaining(['AUTH=XOAUTH2', 'SASL-IR']));
    expect(r.tlsProtocol).toMatch(/^TLSv1\.[23]$/);
    const sent = s.lines[0];
    const auth = sent.find((l) => l.startsWith('A2 '))!;
    expect(auth.split(' ').slice(0, 3)).toEqual(['A2', 'AUTHENTICATE', 'XOAUTH2']);
    expect(parseXoauth2(auth.split(' ')[3])).toEqual({ user: USER, token: TOKEN });
    expect(sent).toContain('A3 EXAMINE INBOX');
    expectNoSecrets(r);
  });

  it('waits for the "+" continuation when SASL-IR is not offered', async () => {
    const s = await serve(imapDialog({ verdict: verdict(), saslIr: false }));
    const r = await connector({ imap: s.port }).imap({ user: USER, accessToken: TOKEN });
    expect(r.authenticated).toBe(true);
    expect(s.lines[0]).toContain('A2 AUTHENTICATE XOAUTH2');
  });

  it('returns a rejected token as a result, not a throw', async () => {
    const s = await serve(imapDialog({ verdict: verdict() }));
    const r = await connector({ imap: s.port }).imap({ user: USER, accessToken: BAD });
    expect(r).toMatchObject({ authenticated: false, phase: 'auth', authLine: 'A2 NO AUTHENTICATE failed.' });
    expect(r.reply).toEqual({ command: 'AUTHENTICATE', status: 'NO' });
    expect(r.challenge).toBeUndefined();
    expect(r.afterAuthLine).toBeUndefined();
    expectNoSecrets(r);
  });

  it('decodes a base64 JSON challenge, answers it with an empty line and reads the final NO', async () => {
    const s = await serve(imapDialog({ verdict: verdict(), challenge: true }));
    const r = await connector({ imap: s.port }).imap({ user: USER, accessToken: BAD });
    expect(r.challenge).toEqual(CHALLENGE_JSON);
    expect(r.authLine).toBe('A2 NO AUTHENTICATE failed.');
    expect(s.lines[0][s.lines[0].findIndex((l) => l.startsWith('A2 ')) + 1]).toBe('');
    expectNoSecrets(r);
  });

  it('reports "authenticated but not connected" after a successful AUTHENTICATE', async () => {
    const s = await serve(imapDialog({ verdict: verdict(true) }));
    const r = await connector({ imap: s.port }).imap({ user: USER, accessToken: TOKEN });
    expect(r).toMatchObject({
      authenticated: true,
      afterAuthOk: false,
      phase: 'examine',
      afterAuthLine: 'A3 BAD User is authenticated but not connected.',
    });
    expect(r.reply).toEqual({ command: 'EXAMINE', status: 'BAD' });
  });
});

describe('POP3', () => {
  it('sends AUTH XOAUTH2 and the response on separate lines, then STAT', async () => {
    const s = await serve(popDialog({ verdict: verdict() }));
    const r = await connector({ pop: s.port }).pop({ user: USER, accessToken: TOKEN });
    expect(r).toMatchObject({
      protocol: 'pop',
      authenticated: true,
      authLine: '+OK User successfully authenticated.',
      afterAuthOk: true,
      afterAuthLine: '+OK 3 4096',
      phase: 'quit',
    });
    expect(r.reply).toEqual({ command: 'STAT', status: '+OK' });
    expect(r.capabilities).toContain('SASL PLAIN XOAUTH2');
    const sent = s.lines[0];
    const i = sent.indexOf('AUTH XOAUTH2');
    expect(i).toBeGreaterThan(-1);
    expect(parseXoauth2(sent[i + 1])).toEqual({ user: USER, token: TOKEN });
    expectNoSecrets(r);
  });

  it('reads -ERR after answering a JSON challenge', async () => {
    const s = await serve(popDialog({ verdict: verdict(), challenge: true }));
    const r = await connector({ pop: s.port }).pop({ user: USER, accessToken: BAD });
    expect(r).toMatchObject({
      authenticated: false,
      challenge: CHALLENGE_JSON,
      authLine: '-ERR Authentication failure: unknown user name or bad password.',
    });
  });

  it('reports the plain failure text without a challenge', async () => {
    const s = await serve(popDialog({ verdict: verdict() }));
    const r = await connector({ pop: s.port }).pop({ user: USER, accessToken: BAD });
    expect(r).toMatchObject({
      authenticated: false,
      phase: 'auth',
      authLine: '-ERR Authentication failure: unknown user name or bad password.',
    });
    expect(r.reply).toEqual({ command: 'AUTH', status: '-ERR' });
  });

  it('reports STAT refused when the mailbox is not connected', async () => {
    const s = await serve(popDialog({ verdict: verdict(true) }));
    const r = await connector({ pop: s.port }).pop({ user: USER, accessToken: TOKEN });
    expect(r).toMatchObject({
      authenticated: true,
      afterAuthOk: false,
      afterAuthLine: '-ERR User is authenticated but not connected.',
    });
    expect(r.reply).toEqual({ command: 'STAT', status: '-ERR' });
  });
});

async function smtpServer(opts: { reject?: 'challenge' | 'plain' } = {}) {
  const messages: string[] = [];
  const server = new SMTPServer({
    key: tlsMaterial.key,
    cert: tlsMaterial.cert,
    authMethods: ['XOAUTH2'],
    logger: false,
    disabledCommands: [],
    onAuth(auth, _session, cb) {
      if (auth.method === 'XOAUTH2' && auth.username === USER && auth.accessToken === TOKEN)
        return cb(null, { user: USER });
      if (opts.reject === 'plain') return cb(new Error('5.7.3 Authentication unsuccessful [TEST]'));
      return cb(null, { data: { status: '401', schemes: 'bearer', scope: 'https://outlook.office.com/SMTP.Send' } });
    },
    onData(stream, _session, cb) {
      let text = '';
      stream.on('data', (d: Buffer) => {
        text += d.toString();
      });
      stream.on('end', () => {
        messages.push(text);
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return { port: (server.server.address() as AddressInfo).port, messages };
}

describe('SMTP', () => {
  it('upgrades with STARTTLS and authenticates with XOAUTH2 (smtp-server as the peer)', async () => {
    const { port } = await smtpServer();
    const r = await connector({ smtp: port }).smtp({ user: USER, accessToken: TOKEN });
    expect(r).toMatchObject({
      protocol: 'smtp',
      authenticated: true,
      phase: 'quit',
      reply: { command: 'AUTH', status: '235', code: 235 },
    });
    expect(r.authLine).toMatch(/^235 /);
    expect(r.greeting).toMatch(/^220 /);
    expect(r.tlsProtocol).toMatch(/^TLSv1\.[23]$/);
    expect(r.capabilities.some((c) => /^AUTH .*XOAUTH2/.test(c))).toBe(true);
    expectNoSecrets(r);
  });

  it('decodes the 334 JSON challenge and reads the final 535', async () => {
    const { port } = await smtpServer();
    const r = await connector({ smtp: port }).smtp({ user: USER, accessToken: BAD });
    expect(r.authenticated).toBe(false);
    expect(r.challenge).toEqual({ status: '401', schemes: 'bearer', scope: 'https://outlook.office.com/SMTP.Send' });
    expect(r.authLine).toMatch(/^535 /);
    expectNoSecrets(r);
  });

  it('reports a plain 535 without a challenge', async () => {
    const { port } = await smtpServer({ reject: 'plain' });
    const r = await connector({ smtp: port }).smtp({ user: USER, accessToken: BAD });
    expect(r).toMatchObject({ authenticated: false, phase: 'auth' });
    expect(r.challenge).toBeUndefined();
    expect(r.authLine).toMatch(/^535 .*5\.7\.3 Authentication unsuccessful/);
    expect(r.reply).toMatchObject({ command: 'AUTH', status: '535', code: 535 });
  });

  it('sends the response after 334, never on the AUTH line (a 1 KiB AUTH line cap would reject it)', async () => {
    const s = await serve(async (c) => {
      c.send('220 test.local Microsoft ESMTP MAIL Service ready');
      for (;;) {
        const l = await c.read();
        if (l === null) return;
        if (/^EHLO /i.test(l)) {
          c.send('250-test.local Hello');
          c.send('250-STARTTLS');
          c.send('250 AUTH LOGIN XOAUTH2');
        } else if (l === 'STARTTLS') {
          c.send('220 2.0.0 SMTP server ready');
          await c.startTls(tlsMaterial);
        } else if (l.startsWith('AUTH XOAUTH2 ')) c.send('500 5.5.2 Line too long');
        else if (l === 'AUTH XOAUTH2') {
          c.send('334 ');
          const x = parseXoauth2((await c.read()) ?? '');
          c.send(
            x?.token === TOKEN
              ? '235 2.7.0 Authentication successful'
              : '535 5.7.3 Authentication unsuccessful [test.local]',
          );
        } else if (l === 'QUIT') {
          c.send('221 2.0.0 Service closing transmission channel');
          c.end();
          return;
        } else c.send('500 5.3.3 Unrecognized command');
      }
    }, false);
    const r = await connector({ smtp: s.port }).smtp({ user: USER, accessToken: TOKEN });
    expect(r).toMatchObject({ authenticated: true, authLine: '235 2.7.0 Authentication successful' });
    expect(r.reply).toEqual({ command: 'AUTH', status: '235', code: 235, enhancedCode: '2.7.0' });
    expect(s.lines[0].filter((l) => /^EHLO \[127\.0\.0\.1\]$/.test(l))).toHaveLength(2);
    expect(s.lines[0]).not.toContain('MAIL FROM');
  });

  it('stops before AUTH when STARTTLS is refused (the token never crosses in clear)', async () => {
    const s = await serve(async (c) => {
      c.send('220 test.local ESMTP');
      for (;;) {
        const l = await c.read();
        if (l === null) return;
        if (/^EHLO /i.test(l)) c.send('250 test.local');
        else if (l === 'STARTTLS') c.send('454 4.7.0 TLS not available due to temporary reason');
        else c.send('500 unexpected');
      }
    }, false);
    const r = await connector({ smtp: s.port }).smtp({ user: USER, accessToken: TOKEN });
    expect(r).toMatchObject({
      authenticated: false,
      phase: 'starttls',
      authLine: '454 4.7.0 TLS not available due to temporary reason',
    });
    expect(r.reply).toEqual({ command: 'STARTTLS', status: '454', code: 454, enhancedCode: '4.7.0' });
    expect(s.lines[0].some((l) => l.startsWith('AUTH'))).toBe(false);
  });

  it('sends a test mail built by MailComposer, dot-stuffed', async () => {
    const { port, messages } = await smtpServer();
    const out = await connector({ smtp: port }).sendTestMail({
      user: USER,
      accessToken: TOKEN,
      from: USER,
      to: 'someone@contoso.test',
      subject: 'm365-doctor test',
      text: 'line one\n.leading dot\nend',
    });
    expect(out.accepted).toBe(true);
    expect(out.response).toMatch(/^250 /);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('Subject: m365-doctor test');
    expect(messages[0]).toContain('\r\n.leading dot\r\n');
  });

  it('does not send mail when AUTH fails', async () => {
    const { port, messages } = await smtpServer();
    const out = await connector({ smtp: port }).sendTestMail({
      user: USER,
      accessToken: BAD,
      from: USER,
      to: USER,
      subject: 's',
      text: 't',
    });
    expect(out.accepted).toBe(false);
    expect(out.response).toMatch(/^535 /);
    expect(messages).toHaveLength(0);
  });
});
