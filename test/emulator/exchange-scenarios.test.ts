// The named scenarios' mail-side promises, checked on the wire against the demo tenant.
import type { KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/emulator/exchange/deps.js';
import { startImapServer } from '../../src/emulator/exchange/imap.js';
import { startPopServer } from '../../src/emulator/exchange/pop.js';
import { startSmtpServer } from '../../src/emulator/exchange/smtp.js';
import { encodeXoauth2 } from '../../src/emulator/exchange/xoauth2.js';
import { DEMO } from '../../src/emulator/ids.js';
import { signJwt } from '../../src/emulator/jwt.js';
import { buildScenario } from '../../src/emulator/scenarios.js';
import { makeDeps, makeSigningKeys, makeTestPki } from './exchange-fixtures.js';
import { WireClient } from './exchange-wire-client.js';

const pki = makeTestPki();
const keys = makeSigningKeys();
const deps = makeDeps(pki, keys.publicKey, buildScenario('healthy').tenant);
const MAILBOX = `connector@${DEMO.domain}`;
let imap: RunningServer;
let pop: RunningServer;
let smtp: RunningServer;

beforeAll(async () => {
  [imap, pop, smtp] = await Promise.all([startImapServer(deps), startPopServer(deps), startSmtpServer(deps)]);
});
afterAll(async () => {
  await Promise.all([imap.close(), pop.close(), smtp.close()]);
});

/** Tokens shaped like the ones Entra issues for ROPC (delegated) and client credentials (app-only). */
function token(kind: 'delegated' | 'app-only', key: KeyObject = keys.privateKey): string {
  const now = Math.floor(Date.now() / 1000);
  const common = {
    iss: `https://sts.windows.net/${DEMO.tenantId}/`,
    tid: DEMO.tenantId,
    appid: DEMO.connectorAppId,
    iat: now,
    nbf: now,
    exp: now + 3600,
  };
  return kind === 'delegated'
    ? signJwt(
        {
          ...common,
          aud: 'https://outlook.office.com',
          scp: 'IMAP.AccessAsUser.All POP.AccessAsUser.All SMTP.Send User.Read',
          upn: MAILBOX,
          oid: DEMO.userId,
        },
        key,
      )
    : signJwt(
        {
          ...common,
          aud: 'https://outlook.office365.com',
          roles: ['IMAP.AccessAsApp', 'POP.AccessAsApp'],
          oid: DEMO.connectorSpId,
        },
        key,
      );
}

/** Log in, then try one mailbox command; returns the two answers. */
async function imapTry(kind: 'delegated' | 'app-only'): Promise<[string, string]> {
  const c = await WireClient.tls(imap.port, pki.caPem);
  try {
    await c.waitFor(/^\* OK/);
    const auth = await c.ask(`a1 AUTHENTICATE XOAUTH2 ${encodeXoauth2(MAILBOX, token(kind))}`, /^a1 /);
    const next = auth.startsWith('a1 OK') ? await c.ask('a2 EXAMINE INBOX', /^a2 /) : '';
    return [auth, next];
  } finally {
    c.end();
  }
}

async function popTry(kind: 'delegated' | 'app-only'): Promise<[string, string]> {
  const c = await WireClient.tls(pop.port, pki.caPem);
  try {
    await c.waitFor(/^\+OK/);
    await c.ask('AUTH XOAUTH2', /^\+ /);
    const auth = await c.ask(encodeXoauth2(MAILBOX, token(kind)), /^[+-]/);
    const next = auth.startsWith('+OK') ? await c.ask('STAT', /^[+-]/) : '';
    return [auth, next];
  } finally {
    c.end();
  }
}

async function smtpTry(kind: 'delegated' | 'app-only' = 'delegated'): Promise<string> {
  const c = await WireClient.plain(smtp.port);
  try {
    await c.waitFor(/^220 /);
    await c.ask('EHLO doctor', /^250 /);
    await c.ask('STARTTLS', /^220 /);
    await c.startTls(pki.caPem);
    await c.ask('EHLO doctor', /^250 /);
    return await c.ask(`AUTH XOAUTH2 ${encodeXoauth2(MAILBOX, token(kind))}`, /^\d{3} /);
  } finally {
    c.end();
  }
}

function use(scenario: string): void {
  deps.tenantModel = buildScenario(scenario).tenant;
}

const OK_IMAP = 'a1 OK AUTHENTICATE completed.';
const NO_IMAP = 'a1 NO AUTHENTICATE failed.';
const NOT_CONNECTED_IMAP = 'a2 BAD User is authenticated but not connected.';
const OK_POP = '+OK User successfully authenticated.';
const NO_POP = '-ERR Authentication failure: unknown user name or bad password.';

describe('scenarios on the mail protocols', () => {
  it.each(['healthy', 'secret-expiring-soon', 'not-business-standard'])('%s: every login works', async (scenario) => {
    use(scenario);
    expect(await imapTry('delegated')).toEqual([OK_IMAP, 'a2 OK [READ-ONLY] EXAMINE completed.']);
    expect(await imapTry('app-only')).toEqual([OK_IMAP, 'a2 OK [READ-ONLY] EXAMINE completed.']);
    expect((await popTry('delegated'))[1]).toMatch(/^\+OK 3 \d+$/);
    expect(await smtpTry()).toBe('235 2.7.0 Authentication successful');
  });

  it('no-license: the bad-token texts everywhere', async () => {
    use('no-license');
    expect((await imapTry('delegated'))[0]).toBe(NO_IMAP);
    expect((await popTry('delegated'))[0]).toBe(NO_POP);
    expect(await smtpTry()).toMatch(/^535 5\.7\.3 /);
  });

  it('imap-disabled: AUTHENTICATE OK, then not connected', async () => {
    use('imap-disabled');
    expect(await imapTry('delegated')).toEqual([OK_IMAP, NOT_CONNECTED_IMAP]);
  });

  it('pop-disabled: AUTH +OK, then STAT not connected', async () => {
    use('pop-disabled');
    expect(await popTry('delegated')).toEqual([OK_POP, '-ERR User is authenticated but not connected.']);
  });

  it.each(['exchange-sp-missing', 'exchange-sp-wrong-object-id'])(
    '%s: app-only logins fail, delegated ones work',
    async (scenario) => {
      use(scenario);
      expect((await imapTry('app-only'))[0]).toBe(NO_IMAP);
      expect((await popTry('app-only'))[0]).toBe(NO_POP);
      expect((await imapTry('delegated'))[0]).toBe(OK_IMAP);
    },
  );

  it('no-mailbox-permission: app-only logins succeed but are not connected', async () => {
    use('no-mailbox-permission');
    expect(await imapTry('app-only')).toEqual([OK_IMAP, NOT_CONNECTED_IMAP]);
    expect(await popTry('app-only')).toEqual([OK_POP, '-ERR User is authenticated but not connected.']);
  });

  // The app-only token here carries IMAP.AccessAsApp and POP.AccessAsApp only, as with RBAC for Applications.
  it('app-only-rbac-scoped: an app-only SMTP login without SMTP.SendAsApp is taken through the scoped assignment, and refused without it', async () => {
    use('app-only-rbac-scoped');
    expect(await smtpTry('app-only')).toBe('235 2.7.0 Authentication successful');
    use('healthy');
    expect(await smtpTry('app-only')).toMatch(/^535 5\.7\.3 /);
  });

  it('smtp-auth-disabled-tenant and -mailbox: the 5.7.139 texts', async () => {
    use('smtp-auth-disabled-tenant');
    expect(await smtpTry()).toMatch(
      /^535 5\.7\.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant\. /,
    );
    use('smtp-auth-disabled-mailbox');
    expect(await smtpTry()).toMatch(
      /^535 5\.7\.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox\. /,
    );
    expect((await imapTry('delegated'))[0]).toBe(OK_IMAP);
  });
});
