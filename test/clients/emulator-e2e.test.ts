// The whole client stack (createClients) against the project's emulated tenant: Entra, Graph and Exchange.
import { afterEach, describe, expect, it } from 'vitest';
import type { Clients } from '../../src/clients/types.js';
import { createClients } from '../../src/clients/create.js';
import type { ResolvedConfig } from '../../src/config/types.js';
import { EntraError, GraphError, NetError } from '../../src/core/errors.js';
import { emulatorEndpoints, startEmulator } from '../../src/emulator/index.js';
import { silentLogger } from '../../src/core/log.js';
import { Redactor } from '../../src/core/redact.js';
import { Secret } from '../../src/core/secret.js';

type Emu = Awaited<ReturnType<typeof startEmulator>>;
const running: Emu[] = [];
afterEach(async () => {
  while (running.length) await running.pop()!.stop();
});

type Overrides = Partial<ResolvedConfig> | ((c: Emu['credentials']) => Partial<ResolvedConfig>);
async function setup(
  scenario = 'healthy',
  over: Overrides = {},
  onDeviceCode?: (m: string) => void,
): Promise<{ emu: Emu; clients: Clients; redactor: Redactor; config: ResolvedConfig }> {
  const emu = await startEmulator({ scenario, autoApproveDeviceCodes: true });
  running.push(emu);
  const c = emu.credentials;
  const config: ResolvedConfig = {
    cloud: 'global',
    tenant: c.domain,
    clientId: c.clientId,
    clientSecret: new Secret(c.clientSecret),
    username: c.username,
    password: new Secret(c.password),
    activities: ['read-imap', 'read-pop', 'send-smtp'],
    profile: 'vendor',
    endpoints: emulatorEndpoints(emu),
    caPem: emu.caPem,
    timeoutMs: 5000,
    sendTestMail: false,
    exceptions: [],
    admin: { kind: 'client-secret', clientId: c.adminClientId, clientSecret: new Secret(c.adminClientSecret) },
    ...(typeof over === 'function' ? over(c) : over),
  };
  const redactor = new Redactor();
  return { emu, clients: createClients(config, { redactor, log: silentLogger, onDeviceCode }), redactor, config };
}

const ropcPosts = (emu: Emu) =>
  emu.log.entries.filter((e) => e.service === 'entra' && e.method === 'POST' && e.detail === 'password').length;

describe('createClients against the emulated tenant', () => {
  it('healthy: discovery, realm, ROPC with refresh token, app-only and reader Graph reads, and all three logins', async () => {
    const { emu, clients, config } = await setup();
    const doc = await clients.tokens.discovery();
    expect(doc.token_endpoint).toMatch(/\/oauth2\/v2\.0\/token$/);
    expect((await clients.tokens.userRealm()).NameSpaceType).toBe('Managed');

    const [t1, t2] = await Promise.all([clients.tokens.ropc(), clients.tokens.ropc()]);
    expect(t1).toBe(t2);
    expect(t1.claims.aud).toBe('https://outlook.office.com');
    expect(String(t1.claims.scp).split(' ')).toEqual(
      expect.arrayContaining(['IMAP.AccessAsUser.All', 'POP.AccessAsUser.All', 'SMTP.Send']),
    );
    expect(t1.hasRefreshToken).toBe(true);
    expect(ropcPosts(emu)).toBe(1);

    const app = await clients.tokens.appOnly('graph');
    expect(app.claims.aud).toBe('https://graph.microsoft.com');
    const reader = await clients.tokens.admin();
    expect(reader.claims.roles).toEqual(expect.arrayContaining(['Application.Read.All']));
    const user = await clients.graph.get<{ userPrincipalName: string }>(
      `/users/${encodeURIComponent(config.username)}?$select=id,userPrincipalName,accountEnabled`,
      'app',
    );
    expect(user.userPrincipalName).toBe(config.username);
    const sps = await clients.graph.list<{ appId: string }>('/servicePrincipals?$top=1', 'admin');
    expect(sps.length).toBeGreaterThan(1);

    const req = { user: config.username, accessToken: t1.accessToken };
    const [imap, pop, smtp] = await Promise.all([
      clients.mail.imap(req),
      clients.mail.pop(req),
      clients.mail.smtp(req),
    ]);
    expect([imap.authenticated, pop.authenticated, smtp.authenticated]).toEqual([true, true, true]);
    expect([imap.afterAuthOk, pop.afterAuthOk]).toEqual([true, true]);
    const everything = JSON.stringify([imap, pop, smtp, emu.log.entries]);
    for (const t of [t1.accessToken, app.accessToken, reader.accessToken]) expect(everything).not.toContain(t);
  });

  it('wrong-password: one ROPC POST, AADSTS50126 with trace and correlation ids', async () => {
    const { emu, clients } = await setup('wrong-password');
    const a = await clients.tokens.ropc().catch((e: unknown) => e);
    const b = await clients.tokens.ropc().catch((e: unknown) => e);
    expect(a).toBe(b);
    expect(a).toBeInstanceOf(EntraError);
    expect((a as EntraError).info).toMatchObject({ httpStatus: 400, error: 'invalid_grant', aadsts: 50126 });
    expect((a as EntraError).info.traceId).toMatch(/^[0-9a-f-]{36}$/);
    expect((a as EntraError).info.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(ropcPosts(emu)).toBe(1);
  });

  it('mfa-required: AADSTS50076 with suberror basic_action', async () => {
    const { clients } = await setup('mfa-required');
    const e = (await clients.tokens.ropc().catch((x: unknown) => x)) as EntraError;
    expect(e.info).toMatchObject({ aadsts: 50076, suberror: 'basic_action' });
  });

  it('tenant-not-found: discovery and ROPC both say AADSTS90002', async () => {
    const { clients } = await setup('tenant-not-found');
    await expect(clients.tokens.discovery()).rejects.toMatchObject({ code: 'AADSTS90002' });
    await expect(clients.tokens.ropc()).rejects.toMatchObject({ code: 'AADSTS90002' });
  });

  it('user-not-found: Graph 404 Request_ResourceNotFound', async () => {
    const { clients, config } = await setup('user-not-found');
    const e = (await clients.graph
      .get(`/users/${encodeURIComponent(config.username)}`, 'app')
      .catch((x: unknown) => x)) as GraphError;
    expect(e).toBeInstanceOf(GraphError);
    expect(e.info).toMatchObject({ status: 404, code: 'Request_ResourceNotFound' });
  });

  it('graph-throttled: THROTTLED after two retries that honour Retry-After', async () => {
    const { clients } = await setup('graph-throttled');
    const t0 = Date.now();
    const e = (await clients.graph.get('/organization', 'admin').catch((x: unknown) => x)) as NetError;
    expect(e).toBeInstanceOf(NetError);
    expect(e.code).toBe('THROTTLED');
    expect(e.detail.retryAfterSeconds).toBe(1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1900);
  });

  it('device code: the sign-in message reaches the caller and the reader token reads Graph', async () => {
    const messages: string[] = [];
    const { clients } = await setup(
      'healthy',
      (c) => ({ admin: { kind: 'device-code', clientId: c.adminClientId } }),
      (m) => messages.push(m),
    );
    const t = await clients.tokens.admin();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/code/i);
    expect(t.claims.aud).toBe('https://graph.microsoft.com');
    expect(t.claims.scp).toBeDefined();
    const org = await clients.graph.list('/organization', 'admin');
    expect(org).toHaveLength(1);
  }, 20000);

  it('the emulator CA is required: without it, TLS_UNTRUSTED', async () => {
    const { clients } = await setup('healthy', { caPem: undefined });
    await expect(clients.tokens.discovery()).rejects.toMatchObject({ code: 'TLS_UNTRUSTED' });
  });
});
