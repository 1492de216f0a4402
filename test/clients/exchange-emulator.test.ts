// The mail clients against the project's emulated Exchange Online servers (a colleague's code, so the
// wire texts are checked independently of our own test servers), including its fault modes.
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { NetError } from '../../src/core/errors.js';
import type { ExchangeFaults } from '../../src/emulator/exchange/deps.js';
import { startImapServer } from '../../src/emulator/exchange/imap.js';
import { startPopServer } from '../../src/emulator/exchange/pop.js';
import { startSmtpServer } from '../../src/emulator/exchange/smtp.js';
import { signJwt } from '../../src/emulator/jwt.js';
import type { TenantModel } from '../../src/emulator/model.js';
import { RequestLog } from '../../src/emulator/request-log.js';
import { buildScenario } from '../../src/emulator/scenarios.js';
import { caPem, loopbackServerCert } from '../../src/emulator/tls.js';
import { silentLogger } from '../../src/core/log.js';
import { createMailConnector } from '../../src/mail/connector.js';
import { Redactor } from '../../src/core/redact.js';
import { testConfig } from './helpers/config.js';

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const cert = loopbackServerCert();
const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (stops.length) await stops.pop()!();
});

async function exchange(scenario = 'healthy', faults?: ExchangeFaults) {
  const { tenant, credentials } = buildScenario(scenario);
  const log = new RequestLog();
  const deps = {
    tenant: () => tenant,
    tls: cert,
    publicKey: keys.publicKey,
    log,
    host: '127.0.0.1',
    port: 0,
    serverName: 'TEST01CA0001.outlook.office365.com',
    faults,
    idleTimeoutMs: 5000,
  };
  const [imap, pop, smtp] = await Promise.all([startImapServer(deps), startPopServer(deps), startSmtpServer(deps)]);
  stops.push(
    () => imap.close(),
    () => pop.close(),
    () => smtp.close(),
  );
  const redactor = new Redactor();
  const config = testConfig({
    caPem: caPem(),
    timeoutMs: 1500,
    username: credentials.username,
    endpoints: {
      imap: { host: '127.0.0.1', port: imap.port },
      pop: { host: '127.0.0.1', port: pop.port },
      smtp: { host: '127.0.0.1', port: smtp.port },
    },
  });
  return {
    mail: createMailConnector(config, { redactor, log: silentLogger }),
    tenant,
    user: credentials.username,
    log,
  };
}

function delegatedToken(tenant: TenantModel, upn: string, aud = 'https://outlook.office.com'): string {
  const u = tenant.users.find((x) => x.userPrincipalName === upn)!;
  const now = Math.floor(Date.now() / 1000);
  return signJwt(
    {
      aud,
      iss: `https://sts.windows.net/${tenant.tenantId}/`,
      tid: tenant.tenantId,
      oid: u.id,
      upn,
      iat: now,
      nbf: now,
      exp: now + 3600,
      scp: 'IMAP.AccessAsUser.All POP.AccessAsUser.All SMTP.Send',
      ver: '1.0',
    },
    keys.privateKey,
    { kid: 'k1' },
  );
}

describe('against the emulated Exchange servers', () => {
  it('logs in on IMAP, POP and SMTP with a delegated token', async () => {
    const { mail, tenant, user, log } = await exchange();
    const accessToken = delegatedToken(tenant, user);
    const t0 = Date.now();
    const [imap, pop, smtp] = await Promise.all([
      mail.imap({ user, accessToken }),
      mail.pop({ user, accessToken }),
      mail.smtp({ user, accessToken }),
    ]);
    const ms = Date.now() - t0;
    expect(imap).toMatchObject({ authenticated: true, authLine: 'A2 OK AUTHENTICATE completed.', afterAuthOk: true });
    expect(pop).toMatchObject({
      authenticated: true,
      authLine: '+OK User successfully authenticated.',
      afterAuthOk: true,
    });
    expect(smtp).toMatchObject({ authenticated: true, authLine: '235 2.7.0 Authentication successful' });
    expect(imap.greeting).toMatch(/^\* OK The Microsoft Exchange IMAP4 service is ready\./);
    expect(JSON.stringify([imap, pop, smtp, log.entries])).not.toContain(accessToken);
    expect(ms).toBeLessThan(3000);
  });

  it("reports Exchange's failure texts for a token with the wrong audience", async () => {
    const { mail, tenant, user } = await exchange();
    const accessToken = delegatedToken(tenant, user, 'https://graph.microsoft.com');
    const [imap, pop, smtp] = await Promise.all([
      mail.imap({ user, accessToken }),
      mail.pop({ user, accessToken }),
      mail.smtp({ user, accessToken }),
    ]);
    expect(imap).toMatchObject({ authenticated: false, authLine: 'A2 NO AUTHENTICATE failed.' });
    expect(pop).toMatchObject({
      authenticated: false,
      authLine: '-ERR Authentication failure: unknown user name or bad password.',
    });
    expect(smtp.authenticated).toBe(false);
    expect(smtp.authLine).toMatch(/^535 5\.7\.3 Authentication unsuccessful/);
  });

  it('sees "authenticated but not connected" when IMAP is disabled for the mailbox', async () => {
    const { mail, tenant, user } = await exchange('imap-disabled');
    const r = await mail.imap({ user, accessToken: delegatedToken(tenant, user) });
    expect(r).toMatchObject({ authenticated: true, afterAuthOk: false, phase: 'examine' });
    expect(r.afterAuthLine).toMatch(/User is authenticated but not connected\./);
  });

  it('sees the 5.7.139 text when SMTP AUTH is disabled for the tenant', async () => {
    const { mail, tenant, user } = await exchange('smtp-auth-disabled-tenant');
    const r = await mail.smtp({ user, accessToken: delegatedToken(tenant, user) });
    expect(r.authenticated).toBe(false);
    expect(r.authLine).toMatch(
      /^535 5\.7\.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant\./,
    );
  });

  it.each([
    [{ greeting: 'garbage' }, 'BAD_RESPONSE'],
    [{ greeting: 'none' }, 'TIMEOUT'],
    [{ oversizedLine: true }, 'RESPONSE_TOO_LARGE'],
    [{ resetAfterGreeting: true }, /CONNECTION_RESET|CONNECTION_CLOSED/],
    [{ dripBytesPerSecond: 5 }, 'TIMEOUT'],
  ] as Array<[ExchangeFaults, string | RegExp]>)('fault %o -> %s within the deadline', async (faults, code) => {
    const { mail, tenant, user } = await exchange('healthy', faults);
    const t0 = Date.now();
    const e = await mail.imap({ user, accessToken: delegatedToken(tenant, user) }).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(NetError);
    expect((e as NetError).code).toMatch(code);
    expect(Date.now() - t0).toBeLessThan(4000);
  });
});
