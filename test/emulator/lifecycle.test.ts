// startEmulator as a whole: ports, CA file, clean stop, token options, fault modes, the request log,
// extra certificates, the Exchange wiring and the standalone runner.
import { existsSync } from 'node:fs';
import { request } from 'node:https';
import { connect as netConnect } from 'node:net';
import { connect } from 'node:tls';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { emulatorEndpoints, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { listenHttps } from '../../src/emulator/http-kit.js';
import { runStandaloneEmulator } from '../../src/cli/emulator-command.js';
import { appOnlyRequest, claimsOf, httpsRequest, IMAP_SCOPES, postForm, ropcRequest } from './helpers.js';

const NET_HANDLES = ['TCPServerWrap', 'TCPSocketWrap', 'TLSWrap', 'PipeWrap'];
const netHandles = () => process.getActiveResourcesInfo().filter((r) => NET_HANDLES.includes(r)).length;

const ropc = (e: RunningEmulator, extra: Record<string, string> = {}) => ropcRequest(e, e.credentials, extra);
const appOnly = (e: RunningEmulator, resource?: string) => appOnlyRequest(e, e.credentials, resource);

/** One IMAP exchange over implicit TLS that trusts the emulator CA: greeting, then one command. */
function imapCommand(e: RunningEmulator, line: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: e.imap.host, port: e.imap.port, ca: e.caPem });
    let buffer = '';
    let sent = false;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      if (!sent && buffer.includes('\r\n')) {
        sent = true;
        socket.write(`${line}\r\n`);
      }
      if (sent && /\r\na1 .*\r\n$/.test(buffer)) {
        socket.end();
        resolve(buffer.split('\r\n').filter(Boolean));
      }
    });
    socket.on('error', reject);
  });
}

const tlsConnectIdle = (e: RunningEmulator, port: number) => connect({ host: '127.0.0.1', port, ca: e.caPem });

describe('start and stop', () => {
  it('starts fast on ephemeral ports, writes the CA file, and stop() leaves no open handle or file', async () => {
    const before = netHandles();
    const started = Date.now();
    const e = await startEmulator();
    const startMs = Date.now() - started;
    expect(startMs).toBeLessThan(3000);
    expect(
      new Set(
        [new URL(e.authorityHost).port, new URL(e.graphUrl).port, e.imap.port, e.pop.port, e.smtp.port].map(Number),
      ).size,
    ).toBe(5);
    expect(existsSync(e.caFile)).toBe(true);
    expect(e.smtpMessages).toEqual([]);
    // Keep-alive connections from a client must not keep the servers alive.
    await ropc(e);
    await e.stop();
    await e.stop();
    expect(existsSync(e.caFile)).toBe(false);
    await new Promise((r) => setTimeout(r, 50));
    expect(netHandles()).toBe(before);
  });

  it('stop() does not wait for silent clients (raw TCP, idle TLS) on any of the five services', async () => {
    const e = await startEmulator();
    const ports = [new URL(e.authorityHost).port, new URL(e.graphUrl).port, e.imap.port, e.pop.port, e.smtp.port].map(
      Number,
    );
    const sockets = [...ports.map((p) => netConnect(p, '127.0.0.1')), tlsConnectIdle(e, ports[1])];
    for (const s of sockets) s.on('error', () => {});
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await e.stop();
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('with a fixed port N listens on N..N+4 in the documented order', async () => {
    let e: RunningEmulator | undefined;
    for (let attempt = 0; !e && attempt < 5; attempt++) {
      const base = 20_000 + Math.floor(Math.random() * 30_000);
      e = await startEmulator({ port: base }).catch(() => undefined);
      if (e) {
        expect(
          [new URL(e.authorityHost).port, new URL(e.graphUrl).port, e.imap.port, e.pop.port, e.smtp.port].map(Number),
        ).toEqual([base, base + 1, base + 2, base + 3, base + 4]);
      }
    }
    expect(e).toBeDefined();
    await e!.stop();
  });

  it('emulatorEndpoints points at the emulator but keeps the real Exchange resource URIs', async () => {
    const e = await startEmulator();
    try {
      expect(emulatorEndpoints(e)).toEqual({
        authorityHost: e.authorityHost,
        graphUrl: e.graphUrl,
        exchangeResource: 'https://outlook.office365.com',
        exchangeScopeHost: 'https://outlook.office.com',
        imap: e.imap,
        pop: e.pop,
        smtp: e.smtp,
      });
    } finally {
      await e.stop();
    }
  });

  it('a busy or impossible port is a ConfigError naming the port, and nothing stays open', async () => {
    const e = await startEmulator();
    const before = netHandles();
    try {
      const busy = Number(new URL(e.graphUrl).port) - 1;
      await expect(startEmulator({ port: busy })).rejects.toThrow(
        /^port: cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\)/,
      );
      await expect(startEmulator({ port: 70_000 })).rejects.toThrow(/^port: 70000 is not a usable first port/);
      expect(netHandles()).toBe(before);
    } finally {
      await e.stop();
    }
  });

  it('an unknown scenario fails start-up with the ConfigError', async () => {
    await expect(startEmulator({ scenario: 'nope' })).rejects.toThrow(/unknown scenario 'nope'/);
  });
});

describe('tokens', () => {
  it('Entra-issued tokens log into the emulated Exchange IMAP server (delegated and app-only)', async () => {
    const e = await startEmulator();
    try {
      const delegated = (await ropc(e)).json.access_token as string;
      const sasl = (token: string) =>
        Buffer.from(`user=${e.credentials.username}\x01auth=Bearer ${token}\x01\x01`).toString('base64');
      expect((await imapCommand(e, `a1 AUTHENTICATE XOAUTH2 ${sasl(delegated)}`)).at(-1)).toBe(
        'a1 OK AUTHENTICATE completed.',
      );
      const app = (await appOnly(e)).json.access_token as string;
      expect((await imapCommand(e, `a1 AUTHENTICATE XOAUTH2 ${sasl(app)}`)).at(-1)).toBe(
        'a1 OK AUTHENTICATE completed.',
      );
      // The Exchange registration made with the app registration's object id does not count.
      e.tenant.exchange.servicePrincipals[0].objectId = e.tenant.applications[0].id;
      expect((await imapCommand(e, `a1 AUTHENTICATE XOAUTH2 ${sasl(app)}`)).at(-1)).toBe('a1 NO AUTHENTICATE failed.');
    } finally {
      await e.stop();
    }
  });

  it("tokenProfile 'flat' drops array and null claims and makes roles a string", async () => {
    const e = await startEmulator({ tokenProfile: 'flat' });
    try {
      const delegated = claimsOf((await ropc(e)).json.access_token);
      expect(delegated).not.toHaveProperty('amr');
      expect(delegated.scp).toBe('IMAP.AccessAsUser.All POP.AccessAsUser.All SMTP.Send');
      expect(Object.values(delegated).some((v) => v === null || Array.isArray(v))).toBe(false);
      expect(claimsOf((await appOnly(e)).json.access_token).roles).toBe('IMAP.AccessAsApp POP.AccessAsApp');
    } finally {
      await e.stop();
    }
  });

  it('a negative tokenLifetimeSeconds issues already-expired tokens that Graph refuses', async () => {
    const e = await startEmulator({ tokenLifetimeSeconds: -600 });
    try {
      const r = await appOnly(e, 'https://graph.microsoft.com');
      const claims = claimsOf(r.json.access_token);
      expect(claims.exp).toBeLessThan(Date.now() / 1000 - 500);
      expect(claims.iat).toBeLessThan(claims.exp);
      const g = await httpsRequest(`${e.graphUrl}/v1.0/users`, e.caPem, {
        headers: { authorization: `Bearer ${r.json.access_token}` },
      });
      expect([g.status, g.json.error.code]).toEqual([401, 'InvalidAuthenticationToken']);
    } finally {
      await e.stop();
    }
  });

  it('mintAccessToken signs with the tenant key by default and a foreign key on request', async () => {
    const e = await startEmulator();
    try {
      const mine = e.mintAccessToken({ aud: 'https://outlook.office.com', scp: 'IMAP.AccessAsUser.All' });
      expect(claimsOf(mine)).toMatchObject({
        iss: `https://sts.windows.net/${e.tenant.tenantId}/`,
        tid: e.tenant.tenantId,
        ver: '1.0',
        scp: 'IMAP.AccessAsUser.All',
      });
      const foreign = e.mintAccessToken({ aud: 'https://outlook.office.com' }, { key: 'foreign' });
      const { verifyJwt } = await import('../../src/emulator/jwt.js');
      expect(verifyJwt(mine, e.signingKey.publicKeyPem).ok).toBe(true);
      expect(verifyJwt(foreign, e.signingKey.publicKeyPem)).toEqual({ ok: false, reason: 'bad-signature' });
    } finally {
      await e.stop();
    }
  });

  it('autoApproveDeviceCodes answers the first poll with a token', async () => {
    const e = await startEmulator({ autoApproveDeviceCodes: true });
    try {
      const c = e.credentials;
      const start = await postForm(`${e.authorityHost}/${c.tenantId}/oauth2/v2.0/devicecode`, e.caPem, {
        client_id: c.adminClientId,
        scope: 'https://graph.microsoft.com/.default',
      });
      const r = await postForm(`${e.authorityHost}/${c.tenantId}/oauth2/v2.0/token`, e.caPem, {
        grant_type: 'device_code',
        client_id: c.adminClientId,
        device_code: start.json.device_code,
      });
      expect(r.status).toBe(200);
      expect(claimsOf(r.json.access_token).upn).toBe(c.username);
    } finally {
      await e.stop();
    }
  });
});

describe('fault modes', () => {
  it('html, truncated JSON, 500 and 503 on the token endpoint and on Graph', async () => {
    const e = await startEmulator();
    try {
      const c = e.credentials;
      const token = (
        await postForm(`${e.authorityHost}/${c.tenantId}/oauth2/v2.0/token`, e.caPem, {
          grant_type: 'client_credentials',
          client_id: c.adminClientId,
          client_secret: c.adminClientSecret,
          scope: 'https://graph.microsoft.com/.default',
        })
      ).json.access_token as string;
      const graph = () =>
        httpsRequest(`${e.graphUrl}/v1.0/organization`, e.caPem, { headers: { authorization: `Bearer ${token}` } });
      for (const [service, ask] of [
        ['entra', () => appOnly(e)],
        ['graph', graph],
      ] as const) {
        e.faults[service] = 'html';
        let r = await ask();
        expect([r.status, r.headers['content-type']]).toEqual([200, 'text/html; charset=utf-8']);
        e.faults[service] = 'truncated-json';
        r = await ask();
        expect(r.headers['content-type']).toMatch(/application\/json/);
        expect(r.json).toBeUndefined();
        e.faults[service] = '500';
        expect((await ask()).status).toBe(500);
        e.faults[service] = '503';
        r = await ask();
        expect([r.status, r.headers['retry-after']]).toEqual([503, '1']);
        e.faults[service] = undefined;
        expect((await ask()).status).toBe(200);
      }
    } finally {
      await e.stop();
    }
  });
});

describe('request log', () => {
  it('records service, method, path+query, status and grant type, and never a secret', async () => {
    const e = await startEmulator();
    try {
      const c = e.credentials;
      const r = await ropc(e, { scope: `${IMAP_SCOPES} openid` });
      const app = await appOnly(e, 'https://graph.microsoft.com');
      await httpsRequest(`${e.graphUrl}/v1.0/users/${c.username}?$select=id`, e.caPem, {
        headers: { authorization: `Bearer ${app.json.access_token}` },
      });
      await httpsRequest(
        `${e.authorityHost}/common/userrealm/${c.username}?api-version=2.0&client_secret=${encodeURIComponent(c.clientSecret)}`,
        e.caPem,
      );
      const start = await postForm(`${e.authorityHost}/${c.tenantId}/oauth2/v2.0/devicecode`, e.caPem, {
        client_id: c.adminClientId,
        scope: 'https://graph.microsoft.com/.default',
      });
      await postForm(`${e.authorityHost}/${c.tenantId}/oauth2/v2.0/token`, e.caPem, {
        grant_type: 'device_code',
        client_id: c.adminClientId,
        device_code: start.json.device_code,
      });
      await postForm(`${e.authorityHost}/${c.tenantId}/oauth2/v2.0/token`, e.caPem, {
        grant_type: 'refresh_token',
        client_id: c.clientId,
        client_secret: c.clientSecret,
        refresh_token: r.json.refresh_token,
      });

      expect(e.log.entries.map(({ service, method, result, detail }) => [service, method, result, detail])).toEqual([
        ['entra', 'POST', '200', 'password'],
        ['entra', 'POST', '200', 'client_credentials'],
        ['graph', 'GET', '200', undefined],
        ['entra', 'GET', '200', undefined],
        ['entra', 'POST', '200', undefined],
        ['entra', 'POST', '400', 'device_code'],
        ['entra', 'POST', '200', 'refresh_token'],
      ]);
      expect(e.log.entries[2].target).toBe(`/v1.0/users/${c.username}?$select=id`);
      expect(e.log.entries[3].target).toContain('client_secret=%5BREDACTED%5D');
      const text = JSON.stringify(e.log.entries);
      for (const secret of [
        c.clientSecret,
        encodeURIComponent(c.clientSecret),
        c.password,
        c.adminClientSecret,
        r.json.access_token,
        r.json.refresh_token,
        r.json.id_token,
        app.json.access_token,
        start.json.device_code,
      ]) {
        expect(text).not.toContain(secret);
      }
    } finally {
      await e.stop();
    }
  });
});

describe('extra certificates for TLS fault tests', () => {
  const tryTls = async (e: RunningEmulator, cert: { key: string; cert: string }) => {
    const server = await listenHttps(cert, '127.0.0.1', 0, (_req, res) => res.end('ok'));
    try {
      return await new Promise<string>((resolve) => {
        request(`https://127.0.0.1:${server.port}/`, { ca: e.caPem, agent: false }, (res) => {
          res.resume();
          resolve(`ok ${res.statusCode}`);
        })
          .on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message))
          .end();
      });
    } finally {
      await server.close();
    }
  };

  it('issues loopback, expired and wrong-host certificates from the emulator CA', async () => {
    const e = await startEmulator();
    try {
      expect(await tryTls(e, e.issueServerCert({ hosts: ['127.0.0.1', 'localhost'] }))).toBe('ok 200');
      const day = 86_400_000;
      expect(
        await tryTls(
          e,
          e.issueServerCert({
            hosts: ['127.0.0.1'],
            notBefore: new Date(Date.now() - 3 * day),
            notAfter: new Date(Date.now() - day),
          }),
        ),
      ).toBe('CERT_HAS_EXPIRED');
      expect(await tryTls(e, e.issueServerCert({ hosts: ['wrong.example.org'] }))).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    } finally {
      await e.stop();
    }
  });
});

describe('standalone runner', () => {
  it('--json prints one JSON object on the first line, runs until told to stop, then cleans up', async () => {
    let output = '';
    const out = new Writable({
      write(chunk, _enc, done) {
        output += String(chunk);
        done();
      },
    });
    const stop = new AbortController();
    const running = runStandaloneEmulator({ json: true, scenario: 'pop-disabled' }, out, { until: stop.signal });
    while (!output.includes('\n')) await new Promise((r) => setTimeout(r, 20));
    const info = JSON.parse(output.split('\n')[0]);
    expect(Object.keys(info).sort()).toEqual(
      [
        'adminClientId',
        'adminClientSecret',
        'authorityHost',
        'caFile',
        'clientId',
        'clientSecret',
        'graphUrl',
        'imap',
        'password',
        'pop',
        'smtp',
        'tenantId',
        'username',
      ].sort(),
    );
    expect(info.imap).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(existsSync(info.caFile)).toBe(true);
    const disc = await httpsRequest(
      `${info.authorityHost}/${info.tenantId}/v2.0/.well-known/openid-configuration`,
      (await import('node:fs')).readFileSync(info.caFile, 'utf8'),
    );
    expect(disc.status).toBe(200);
    stop.abort();
    await running;
    expect(existsSync(info.caFile)).toBe(false);
  });

  it('a bad --scenario-file is a ConfigError before anything starts', async () => {
    const out = new Writable({
      write(_c, _e, done) {
        done();
      },
    });
    await expect(runStandaloneEmulator({ json: true, scenarioFile: '/nonexistent/tenant.json' }, out)).rejects.toThrow(
      /^--scenario-file: cannot read \/nonexistent\/tenant\.json \(ENOENT\)/,
    );
  });

  it('the human form prints the endpoints and the exact check command', async () => {
    let output = '';
    const out = new Writable({
      write(chunk, _enc, done) {
        output += String(chunk);
        done();
      },
    });
    const stop = new AbortController();
    const running = runStandaloneEmulator({ json: false }, out, { until: stop.signal });
    while (!output.includes('Ctrl-C')) await new Promise((r) => setTimeout(r, 20));
    stop.abort();
    await running;
    const command = output.split('\n').find((l) => l.includes('m365-doctor check'))!;
    expect(command).toMatch(
      /^\s+M365_DOCTOR_CLIENT_SECRET=\S+ M365_DOCTOR_PASSWORD=\S+ M365_DOCTOR_ADMIN_CLIENT_SECRET=\S+ m365-doctor check --tenant 11111111-1111-1111-1111-111111111111 --client-id \S+ --username connector@m365doctordemo\.onmicrosoft\.com --admin-client-id \S+ --authority-host https:\/\/127\.0\.0\.1:\d+ --graph-url https:\/\/127\.0\.0\.1:\d+ --imap 127\.0\.0\.1:\d+ --pop 127\.0\.0\.1:\d+ --smtp 127\.0\.0\.1:\d+ --ca-file \S+ca\.pem$/,
    );
  });
});
