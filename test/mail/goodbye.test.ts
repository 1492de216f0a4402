// The goodbye (POP and SMTP QUIT, IMAP LOGOUT) is sent once the verdict is known, and nothing waits for its answer:
// against servers that answer it late, the login returns as soon as the last answer that decides the verdict came,
// the server still gets the goodbye, and the connection is closed after the answer (or the goodbye's budget).
import { afterEach, describe, expect, it } from 'vitest';
import type { MailConnector } from '../../src/clients/types.js';
import { CLOUDS } from '../../src/m365/clouds.js';
import { silentLogger } from '../../src/core/log.js';
import { createMailConnector } from '../../src/mail/connector.js';
import { Redactor } from '../../src/core/redact.js';
import { testConfig } from '../clients/helpers/config.js';
import { parseXoauth2 } from '../clients/helpers/exchange-like.js';
import { fakeJwt } from '../clients/helpers/fake-entra.js';
import { startScriptedServer, type Conn } from '../clients/helpers/scripted-server.js';
import { createTestCa } from '../clients/helpers/test-ca.js';

const ca = createTestCa();
const tlsMaterial = ca.issue();
const USER = 'connector@contoso.test';
const TOKEN = fakeJwt({ aud: 'https://outlook.office.com', upn: USER, scp: 'POP.AccessAsUser.All' });
/** How long the servers below take to answer the goodbye: far longer than the rest of a loopback dialog. */
const LATE_MS = 1500;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function connector(port: number): MailConnector {
  const endpoint = { host: '127.0.0.1', port };
  const config = testConfig({
    caPem: ca.caPem,
    timeoutMs: 10_000,
    endpoints: { ...CLOUDS.global.endpoints, imap: endpoint, pop: endpoint, smtp: endpoint },
  });
  const c = createMailConnector(config, { redactor: new Redactor(), log: silentLogger });
  cleanups.push(async () => {
    await c.close?.();
  });
  return c;
}

/** Runs `script` per connection; records when the goodbye arrived and when the client closed. */
async function serve(script: (c: Conn, seen: { goodbyeAt?: number }) => Promise<void>, implicitTls: boolean) {
  const seen: { goodbyeAt?: number; closedAt?: number; conn?: Conn } = {};
  // SMTP on a port other than 465 starts plain and upgrades with STARTTLS.
  const s = await startScriptedServer({
    tls: implicitTls ? tlsMaterial : undefined,
    script: async (c) => {
      seen.conn = c;
      void c.closed.then(() => {
        seen.closedAt = Date.now();
      });
      await script(c, seen);
    },
  });
  cleanups.push(() => s.close());
  return { port: s.port, seen };
}

const late = (c: Conn, line: string) =>
  setTimeout(() => {
    c.send(line);
    c.end();
  }, LATE_MS);

async function pop(c: Conn, seen: { goodbyeAt?: number }): Promise<void> {
  c.send('+OK The Microsoft Exchange POP3 service is ready.');
  for (let line = await c.read(); line !== null; line = await c.read()) {
    if (line === 'CAPA') for (const l of ['+OK', 'SASL XOAUTH2', '.']) c.send(l);
    else if (line === 'AUTH XOAUTH2') {
      c.send('+ ');
      const x = parseXoauth2((await c.read()) ?? '');
      c.send(x?.token === TOKEN ? '+OK User successfully authenticated.' : '-ERR Authentication failure.');
    } else if (line === 'STAT') c.send('+OK 3 4096');
    else if (line === 'QUIT') {
      seen.goodbyeAt = Date.now();
      late(c, '+OK signing off.');
      return;
    } else c.send('-ERR Command is not valid in this state.');
  }
}

async function smtp(c: Conn, seen: { goodbyeAt?: number }): Promise<void> {
  c.send('220 ready');
  for (let line = await c.read(); line !== null; line = await c.read()) {
    if (line.startsWith('EHLO')) {
      c.send('250-hello');
      c.send('250 AUTH XOAUTH2');
    } else if (line === 'STARTTLS') {
      c.send('220 go ahead');
      await c.startTls(tlsMaterial);
    } else if (line === 'AUTH XOAUTH2') {
      c.send('334 ');
      const x = parseXoauth2((await c.read()) ?? '');
      c.send(x?.token === TOKEN ? '235 2.7.0 Authentication successful' : '535 5.7.3 Authentication unsuccessful');
    } else if (line === 'QUIT') {
      seen.goodbyeAt = Date.now();
      late(c, '221 bye');
      return;
    } else c.send('502 not here');
  }
}

async function imap(c: Conn, seen: { goodbyeAt?: number }): Promise<void> {
  c.send('* OK ready');
  for (let line = await c.read(); line !== null; line = await c.read()) {
    const [tag, verb] = line.split(' ');
    if (verb === 'CAPABILITY') {
      c.send('* CAPABILITY IMAP4rev1 AUTH=XOAUTH2 SASL-IR');
      c.send(`${tag} OK CAPABILITY completed.`);
    } else if (verb === 'AUTHENTICATE')
      c.send(
        parseXoauth2(line.split(' ')[3] ?? '')?.token === TOKEN
          ? `${tag} OK AUTHENTICATE completed.`
          : `${tag} NO AUTHENTICATE failed.`,
      );
    else if (verb === 'EXAMINE') c.send(`* 3 EXISTS\r\n${tag} OK [READ-ONLY] EXAMINE completed.`);
    else if (verb === 'LOGOUT') {
      seen.goodbyeAt = Date.now();
      setTimeout(() => {
        c.send('* BYE');
        c.send(`${tag} OK LOGOUT completed.`);
        c.end();
      }, LATE_MS);
      return;
    } else c.send(`${tag} BAD`);
  }
}

describe('the goodbye is not waited for', () => {
  for (const [protocol, script, phase] of [
    ['pop', pop, 'quit'],
    ['smtp', smtp, 'quit'],
    ['imap', imap, 'logout'],
  ] as const) {
    it(`${protocol}: the login returns before the goodbye's answer; the server gets the goodbye; the client closes after the answer`, async () => {
      const { port, seen } = await serve(script, protocol !== 'smtp');
      const c = connector(port);
      const started = Date.now();
      const r = await c[protocol]({ user: USER, accessToken: TOKEN });
      const returnedAt = Date.now();
      expect(r).toMatchObject({ authenticated: true, phase });
      if (protocol !== 'smtp') expect(r.afterAuthOk).toBe(true);
      expect(returnedAt - started).toBeLessThan(LATE_MS);
      while (seen.goodbyeAt === undefined) await new Promise((res) => setTimeout(res, 5));
      // The connection stays open for the answer, then the client hangs up (the server ended its side too).
      while (seen.closedAt === undefined) await new Promise((res) => setTimeout(res, 5));
      expect(seen.closedAt - seen.goodbyeAt).toBeGreaterThanOrEqual(LATE_MS - 50);
    });
  }
});
