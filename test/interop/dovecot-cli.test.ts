// Issue 8: the real CLI path (`m365-doctor check --only imap-login,pop-login,smtp-login --format json`) against
// Dovecot. The emulated Entra issues the ROPC tokens; Dovecot, which nobody on the team wrote, judges them.
//
// Claim shape: Dovecot 2.3.19's auth process died with signal 11 on a null-valued claim (3 of 3 tries here), and
// array-valued claims such as Entra's amr are reported to crash it intermittently (0 of ~100 tries here, on
// deb12u7). A CI suite cannot rest on that, so the emulator runs with tokenProfile 'flat' (the amr array
// dropped, roles as a string). Its default tokens stay Entra-shaped.
// Dovecot is configured to read the login name from `upn` (Entra's delegated-token claim) instead of its
// default `email`, with Entra's v1 issuer and the IMAP/POP/SMTP scopes' resource URI as client_id.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckResult } from '../../src/core/result.js';
import { ensureBuiltCli, runCli, type CliRun } from './cli-run.js';
import { describeWithDovecot, showLabLogOnFailure } from './dovecot-gate.js';
import { startDovecot, type DovecotOptions, type RunningDovecot } from './dovecot.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { startTinyproxy, TINYPROXY } from '../net/helpers/tinyproxy.js';

type Emulator = RunningEmulator;

// Delegated IMAP/POP/SMTP scopes live on https://outlook.office.com, so Entra puts that in `aud`.
const EXCHANGE_AUDIENCE = 'https://outlook.office.com';
const PROTOCOLS = ['imap', 'pop', 'smtp'] as const;
type Protocol = (typeof PROTOCOLS)[number];
const CHECK_OF: Record<Protocol, string> = { imap: 'imap-login', pop: 'pop-login', smtp: 'smtp-login' };
// Dovecot's process names in its log, to tell which protocol a failed login came through.
const LOGIN_SERVICE: Record<Protocol, string> = { imap: 'imap-login', pop: 'pop3-login', smtp: 'submission-login' };

interface FailureCase {
  name: string;
  /** Which emulated Entra issues the token. */
  issuer: 'current' | 'expired';
  /** How this Dovecot differs from one that trusts the emulator's tokens. */
  dovecot(): Partial<DovecotOptions>;
  /** The reason Dovecot logs for the login name `user`. */
  reason(user: string): string;
}

/** A signing key of nobody we know: a Dovecot trusting it refuses the emulator's signatures. */
const strangerKey = () =>
  generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
const OTHER_DOMAIN = 'another-tenant.test';

const FAILURES: FailureCase[] = [
  {
    name: 'wrong signature',
    issuer: 'current',
    dovecot: () => ({ publicKeyPem: strangerKey() }),
    reason: () => 'Bad signature',
  },
  { name: 'expired token', issuer: 'expired', dovecot: () => ({}), reason: () => 'Token has expired' },
  // The token is for outlook.office.com (delegated scopes); this server only accepts outlook.office365.com.
  {
    name: 'wrong audience',
    issuer: 'current',
    dovecot: () => ({ audience: 'https://outlook.office365.com' }),
    reason: () => 'client_id not found in aud field',
  },
  // This server maps every login to a mailbox in another domain: the token's upn names someone else.
  {
    name: 'token for another user',
    issuer: 'current',
    dovecot: () => ({ loginNameFormat: `%Ln@${OTHER_DOMAIN}` }),
    reason: (user) => `Username '${user.split('@')[0]}@${OTHER_DOMAIN}' did not match '${user}'`,
  },
];

const FINAL_FAILURE: Record<Protocol, RegExp> = {
  imap: /^A\d+ NO \[AUTHENTICATIONFAILED\] Authentication failed\.$/,
  pop: /^-ERR \[AUTH\] Authentication failed\.$/,
  smtp: /^535 5\.7\.8 Authentication failed\.$/,
};

describeWithDovecot('m365-doctor check against Dovecot (emulated Entra tokens, real CLI)', () => {
  let current: Emulator;
  let expired: Emulator;
  let workDir: string;
  let caFile: string;
  const labs = new Map<string, RunningDovecot>();
  showLabLogOnFailure(() => labs.values());

  beforeAll(async () => {
    console.info(`interop CLI: ${ensureBuiltCli()}`);
    [current, expired] = await Promise.all([
      startEmulator({ tokenProfile: 'flat' }),
      // Entra's own lifetime is 60-90 minutes; a negative one makes the emulator issue tokens already expired.
      startEmulator({ tokenProfile: 'flat', tokenLifetimeSeconds: -600 }),
    ]);
    // Dovecot's certificate comes from the emulator's CA; one --ca-file holds both emulators' CAs (a PEM bundle).
    const issued = current.issueServerCert({ hosts: ['127.0.0.1', 'localhost'] });
    const tls = { certPem: issued.cert, keyPem: issued.key };
    workDir = mkdtempSync(join(tmpdir(), 'm365-doctor-interop-cli-'));
    caFile = join(workDir, 'ca-bundle.pem');
    writeFileSync(caFile, [current.caPem, expired.caPem].map((p) => p.trim()).join('\n') + '\n');

    const trusting = (e: Emulator): DovecotOptions => ({
      publicKeyPem: e.signingKey.publicKeyPem,
      kid: e.signingKey.kid,
      azp: [e.credentials.clientId],
      issuer: `https://sts.windows.net/${e.credentials.tenantId}/`,
      audience: EXCHANGE_AUDIENCE,
      usernameClaim: 'upn',
      tls,
    });
    const setups: Array<[string, DovecotOptions]> = [
      ['healthy', trusting(current)],
      ...FAILURES.map((f): [string, DovecotOptions] => {
        const base = trusting(f.issuer === 'expired' ? expired : current);
        return [f.name, { ...base, ...f.dovecot() }];
      }),
    ];
    await Promise.all(setups.map(async ([name, opts]) => labs.set(name, await startDovecot(opts))));
  }, 240_000);

  afterAll(async () => {
    await Promise.all([...labs.values()].map((l) => l.stop()));
    for (const l of labs.values()) expect(l.processes()).toEqual([]);
    await Promise.all([current?.stop(), expired?.stop()]);
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  }, 30_000);

  function check(lab: RunningDovecot, e: Emulator, extra: string[] = []): Promise<CliRun> {
    const ep = (hp: { host: string; port: number }) => `${hp.host}:${hp.port}`;
    return runCli(
      [
        'check',
        '--only',
        'imap-login,pop-login,smtp-login',
        '--format',
        'json',
        '--tenant',
        e.credentials.tenantId,
        '--client-id',
        e.credentials.clientId,
        '--username',
        e.credentials.username,
        '--authority-host',
        e.authorityHost,
        '--graph-url',
        e.graphUrl,
        '--imap',
        ep(lab.imap),
        '--pop',
        ep(lab.pop),
        '--smtp',
        ep(lab.submission),
        '--ca-file',
        caFile,
        // A busy CI machine must not turn a slow login into a timeout: the server's verdict is what is tested.
        '--timeout',
        '60000',
        ...extra,
      ],
      { M365_DOCTOR_CLIENT_SECRET: e.credentials.clientSecret, M365_DOCTOR_PASSWORD: e.credentials.password },
    );
  }

  function results(run: CliRun): Record<Protocol, CheckResult> {
    expect(
      run.report,
      `no JSON report; exit ${run.exitCode}; stderr:\n${run.stderr}\nstdout:\n${run.stdout.slice(0, 2000)}`,
    ).toBeDefined();
    const byId = new Map(run.report!.checks.map((c) => [c.id, c]));
    return Object.fromEntries(PROTOCOLS.map((p) => [p, byId.get(CHECK_OF[p])!])) as Record<Protocol, CheckResult>;
  }

  function expectNoSecrets(run: CliRun, e: Emulator): void {
    const out = run.stdout + run.stderr;
    expect(out).not.toContain(e.credentials.clientSecret);
    expect(out).not.toContain(e.credentials.password);
    expect(out).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./); // a JWT
    expect(out).not.toMatch(/dXNlcj[A-Za-z0-9+/]{20,}/); // base64 of "user=...": an XOAUTH2 string
  }

  test('healthy: IMAP, POP and SMTP logins pass against Dovecot', async () => {
    const lab = labs.get('healthy')!;
    const run = await check(lab, current);
    const r = results(run);
    expect(r.imap).toMatchObject({ status: 'pass', code: 'LOGIN_OK' });
    expect(r.imap.evidence.authLine).toMatch(/^A\d+ OK .*Logged in/);
    expect(r.imap.evidence.afterAuthLine).toMatch(/^A\d+ OK \[READ-ONLY\] Examine completed/);
    expect(r.pop).toMatchObject({ status: 'pass', code: 'LOGIN_OK' });
    expect(r.pop.evidence).toMatchObject({ authLine: '+OK Logged in.', afterAuthLine: '+OK 0 0' });
    expect(r.smtp).toMatchObject({ status: 'pass', code: 'SMTP_OK' });
    expect(r.smtp.evidence.authLine).toBe('235 2.7.0 Logged in.');
    for (const p of PROTOCOLS) expect(r[p].evidence.challenge).toBeUndefined();
    expect(run.exitCode).toBe(0);
    expectNoSecrets(run, current);
    console.info(
      `[healthy] ${PROTOCOLS.map((p) => `${p}: ${r[p].evidence.authLine}${r[p].evidence.afterAuthLine ? ` then ${r[p].evidence.afterAuthLine}` : ''}`).join(' | ')} (CLI run ${run.ms} ms)`,
    );
    // Dovecot itself logged the three logins in, as the emulator's user.
    const user = current.credentials.username;
    for (const p of PROTOCOLS)
      await lab.waitForLog(
        new RegExp(`${LOGIN_SERVICE[p]}: Info: Login: user=<${user.replace(/\./g, '\\.')}>, method=XOAUTH2`),
      );
  }, 90_000);

  test.skipIf(!TINYPROXY)(
    'healthy through a real proxy (tinyproxy, --mail-proxy): the three logins tunnel through CONNECT and pass',
    async () => {
      const lab = labs.get('healthy')!;
      const proxy = await startTinyproxy();
      try {
        const run = await check(lab, current, ['--proxy', proxy.url, '--mail-proxy']);
        const r = results(run);
        expect(r.imap).toMatchObject({ status: 'pass', code: 'LOGIN_OK' });
        expect(r.pop).toMatchObject({ status: 'pass', code: 'LOGIN_OK' });
        expect(r.smtp).toMatchObject({ status: 'pass', code: 'SMTP_OK' });
        for (const p of PROTOCOLS) expect(r[p].evidence.route).toBe(`proxy ${proxy.url} (HTTP CONNECT tunnel)`);
        const ep = (hp: { host: string; port: number }) => `${hp.host}:${hp.port}`;
        for (const server of [lab.imap, lab.pop, lab.submission]) expect(proxy.connects()).toContain(ep(server));
        expect(run.exitCode).toBe(0);
      } finally {
        await proxy.stop();
      }
    },
    90_000,
  );

  test.concurrent.each(FAILURES)(
    "$name: each login fails with AUTH_REJECTED, the server's lines as evidence, and Dovecot logs why",
    async (f) => {
      const lab = labs.get(f.name)!;
      const e = f.issuer === 'expired' ? expired : current;
      const run = await check(lab, e);
      const r = results(run);
      for (const p of PROTOCOLS) {
        expect(r[p], `${p}: ${JSON.stringify(r[p])}`).toMatchObject({ status: 'fail', code: 'AUTH_REJECTED' });
        expect(r[p].evidence.authLine).toMatch(FINAL_FAILURE[p]);
        expect(r[p].message).toContain(String(r[p].evidence.authLine));
        // The base64 JSON challenge, decoded and answered per SASL before the final line came.
        expect(JSON.parse(String(r[p].evidence.challenge))).toEqual({
          status: '401',
          schemes: 'bearer',
          scope: 'mail',
        });
      }
      expect(run.exitCode).toBe(1);
      expectNoSecrets(run, e);
      // The reason is only in the server's log: one auth line per protocol, and each login process saw the failure.
      const user = e.credentials.username;
      const reasonLine = `oauth2 failed: Local validation failed: ${f.reason(user)}`;
      for (const p of PROTOCOLS)
        await lab.waitForLog(new RegExp(`${LOGIN_SERVICE[p]}: Info: .*auth failed, 1 attempts`));
      const reasons = lab
        .log()
        .split('\n')
        .filter((l) => l.includes(' auth: Info: oauth2(') && l.endsWith(reasonLine));
      expect(reasons, lab.log()).toHaveLength(3);
      console.info(
        `[${f.name}] (CLI run ${run.ms} ms) ${PROTOCOLS.map((p) => `${p}: ${r[p].evidence.authLine}`).join(' | ')} | log: ${reasons[0].replace(/^.* auth: /, 'auth: ')}`,
      );
    },
    90_000,
  );
});
