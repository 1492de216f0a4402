// Entra, Graph and (with --mail-proxy) the mail servers through a real proxy (tinyproxy on loopback): the proxy's own
// log shows what went through it; refusals (407, 403) and an unreachable proxy come out as their own codes.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { bypassed } from '../../src/config/proxy.js';
import { runCli } from '../helpers/cli.js';
import { startTinyproxy, TINYPROXY, type Tinyproxy } from './helpers/tinyproxy.js';

type Emu = Awaited<ReturnType<typeof startEmulator>>;
interface Result {
  id: string;
  status: string;
  code?: string;
  message: string;
  evidence: Record<string, unknown>;
}

describe('NO_PROXY matching', () => {
  it('matches hosts, subdomains, ports, "*" and IPv6, and nothing else', () => {
    expect(bypassed('contoso.com', 'mail.contoso.com', 443)).toBe(true);
    expect(bypassed('.contoso.com', 'contoso.com', 443)).toBe(true);
    expect(bypassed('*.contoso.com', 'a.b.contoso.com', 443)).toBe(true);
    expect(bypassed('contoso.com', 'notcontoso.com', 443)).toBe(false);
    expect(bypassed('127.0.0.1:8443', '127.0.0.1', 8443)).toBe(true);
    expect(bypassed('127.0.0.1:8443', '127.0.0.1', 443)).toBe(false);
    expect(bypassed('localhost, *', 'login.microsoftonline.com', 443)).toBe(true);
    expect(bypassed('[::1]:993,::2', '[::1]', 993)).toBe(true);
    expect(bypassed('::2', '::2', 993)).toBe(true);
    expect(bypassed('', 'graph.microsoft.com', 443)).toBe(false);
  });
});

if (!TINYPROXY) {
  // Loud, not silent: .ci/run installs tinyproxy; a machine without it does not test the proxy.
  console.warn('SKIPPED test/net/proxy.test.ts: tinyproxy is not installed (apt-get install tinyproxy; .ci/run does)');
}

describe.skipIf(!TINYPROXY)('through tinyproxy on loopback', () => {
  let emu: Emu;
  const proxies: Tinyproxy[] = [];
  const proxy = async (config: string[] = []) => {
    const p = await startTinyproxy(config);
    proxies.push(p);
    return p;
  };
  const port = (url: string) => new URL(url).port;
  const hostPort = (h: { host: string; port: number }) => `${h.host}:${h.port}`;

  beforeAll(async () => {
    emu = await startEmulator({ scenario: 'healthy' });
  });
  afterAll(async () => {
    for (const p of proxies) await p.stop();
    await emu?.stop();
  });

  function check(env: Record<string, string>, extra: string[] = [], withCa = true) {
    const c = emu.credentials;
    return runCli(
      [
        'check',
        '--format',
        'json',
        '--verbose',
        '--tenant',
        c.tenantId,
        '--client-id',
        c.clientId,
        '--username',
        c.username,
        '--admin-client-id',
        c.adminClientId,
        '--authority-host',
        emu.authorityHost,
        '--graph-url',
        emu.graphUrl,
        '--imap',
        hostPort(emu.imap),
        '--pop',
        hostPort(emu.pop),
        '--smtp',
        hostPort(emu.smtp),
        '--timeout',
        '8000',
        ...(withCa ? ['--ca-file', emu.caFile] : []),
        ...extra,
      ],
      {
        env: {
          M365_DOCTOR_CLIENT_SECRET: c.clientSecret,
          M365_DOCTOR_PASSWORD: c.password,
          M365_DOCTOR_ADMIN_CLIENT_SECRET: c.adminClientSecret,
          HTTPS_PROXY: '',
          https_proxy: '',
          HTTP_PROXY: '',
          http_proxy: '',
          NO_PROXY: '',
          no_proxy: '',
          ...env,
        },
      },
    );
  }
  const results = (stdout: string) => (JSON.parse(stdout) as { checks: Result[] }).checks;
  /** The verbose log's one line per HTTPS request. */
  const httpsLines = (stderr: string) => stderr.split('\n').filter((l) => /\] https \{/.test(l));

  it('HTTPS_PROXY: every Entra and Graph request goes through the proxy, the --ca-file CA applies in the tunnel, mail goes direct and says so', async () => {
    const p = await proxy();
    const run = await check({ HTTPS_PROXY: p.url });
    expect(run.code, run.stderr).toBe(0);
    const lines = httpsLines(run.stderr);
    expect(lines.length).toBeGreaterThan(5);
    for (const l of lines) expect(l).toContain(`"proxy":"${p.url}"`);
    const tunnels = p.connects();
    expect(tunnels).toContain(`127.0.0.1:${port(emu.authorityHost)}`);
    expect(tunnels).toContain(`127.0.0.1:${port(emu.graphUrl)}`);
    // Nothing else: the mail servers were not tunnelled.
    expect(new Set(tunnels)).toEqual(
      new Set([`127.0.0.1:${port(emu.authorityHost)}`, `127.0.0.1:${port(emu.graphUrl)}`]),
    );
    const imap = results(run.stdout).find((r) => r.id === 'imap-login')!;
    expect(imap.status).toBe('pass');
    expect(imap.evidence.route).toBe('direct (proxy not used for IMAP; --mail-proxy tunnels it)');
  });

  it('NO_PROXY (lower case too) sends the host it names direct, the rest through the proxy', async () => {
    const p = await proxy();
    const graph = `127.0.0.1:${port(emu.graphUrl)}`;
    const run = await check({ https_proxy: p.url, no_proxy: `example.org, ${graph}` });
    expect(run.code, run.stderr).toBe(0);
    expect(p.connects()).not.toContain(graph);
    expect(p.connects()).toContain(`127.0.0.1:${port(emu.authorityHost)}`);
    const direct = httpsLines(run.stderr).filter((l) => !l.includes('"proxy"'));
    expect(direct.length).toBeGreaterThan(0);
    for (const l of direct) expect(l).toContain(emu.graphUrl);
  });

  it('--mail-proxy tunnels IMAP, POP and SMTP (STARTTLS) through CONNECT to the emulated Exchange', async () => {
    const p = await proxy();
    const run = await check({}, ['--proxy', p.url, '--mail-proxy']);
    expect(run.code, run.stderr).toBe(0);
    for (const server of [emu.imap, emu.pop, emu.smtp]) expect(p.connects()).toContain(hostPort(server));
    for (const id of ['imap-login', 'pop-login', 'smtp-login']) {
      const r = results(run.stdout).find((x) => x.id === id)!;
      expect(r.status, id).toBe('pass');
      expect(r.evidence.route).toBe(`proxy ${p.url} (HTTP CONNECT tunnel)`);
    }
  });

  it('407: PROXY_AUTH_REQUIRED without credentials; with them in the URL the run passes and the password shows nowhere', async () => {
    const password = 'Pr0xy-Canary-Secret';
    const p = await proxy([`BasicAuth connector ${password}`]);
    const refused = await check({ HTTPS_PROXY: p.url });
    expect(refused.code).toBe(1);
    const first = results(refused.stdout).find((r) => r.status === 'error')!;
    expect(first.code).toBe('PROXY_AUTH_REQUIRED');
    expect(first.message).toMatch(/asks for credentials .*HTTP 407/);
    expect(first.evidence.status).toBe(407);
    expect(refused.stdout + refused.stderr).not.toMatch(/DNS_NOT_FOUND/);

    const url = `http://connector:${password}@127.0.0.1:${p.port}`;
    // DEBUG turns on https-proxy-agent's own logging, which prints the proxy URL: stderr is scrubbed too.
    const ok = await check({ DEBUG: 'https-proxy-agent*' }, [
      '--proxy',
      url,
      '--mail-proxy',
      '--report',
      `json:${emu.caFile}.report.json`,
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toContain('Creating new HttpsProxyAgent instance');
    expect(ok.stdout + ok.stderr).not.toContain(password);
    expect(readFileSync(`${emu.caFile}.report.json`, 'utf8')).not.toContain(password);
    expect(ok.stdout + ok.stderr).not.toContain(Buffer.from(`connector:${password}`).toString('base64'));
    expect(ok.stderr).toContain('http://***@127.0.0.1');
  });

  it('403: PROXY_REFUSED with the status when the proxy does not allow the port', async () => {
    const p = await proxy(['ConnectPort 1']);
    const run = await check({ HTTPS_PROXY: p.url });
    expect(run.code).toBe(1);
    const first = results(run.stdout).find((r) => r.status === 'error')!;
    expect(first.code).toBe('PROXY_REFUSED');
    expect(first.evidence.status).toBe(403);
    expect(first.message).toContain('HTTP 403');
    const explained = await runCli(['explain', 'PROXY_REFUSED']);
    expect(explained.code).toBe(0);
    expect(explained.stdout).toMatch(/refused the tunnel/);
  });

  it('a proxy that is not there: PROXY_UNREACHABLE naming the proxy, not the Microsoft host', async () => {
    const p = await proxy();
    await p.stop();
    const run = await check({ HTTPS_PROXY: p.url });
    const first = results(run.stdout).find((r) => r.status === 'error')!;
    expect(first.code).toBe('PROXY_UNREACHABLE');
    expect(first.message).toContain(`the proxy ${p.url}`);
  });

  it('an untrusted certificate through the tunnel (a TLS-inspecting proxy) names its issuer and --ca-file', async () => {
    const p = await proxy();
    const run = await check({ HTTPS_PROXY: p.url }, [], false);
    const first = results(run.stdout).find((r) => r.status === 'error')!;
    expect(first.code).toBe('TLS_UNTRUSTED');
    expect(first.message).toMatch(
      /through the proxy http:\/\/127\.0\.0\.1:\d+ issued by "CN=[^"]+" is not trusted .*--ca-file/,
    );
    expect(String(first.evidence.issuer)).toMatch(/^CN=/);
  });
});
