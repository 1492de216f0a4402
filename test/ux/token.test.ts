// `m365-doctor token`: decoded claims instead of the token, the raw token only into a pipe, Entra's answer
// with its fix when the request fails.
import { describe, expect, it } from 'vitest';
import type { TokenInfo } from '../../src/clients/types.js';
import { claimRows, localTime, timeLeft } from '../../src/cli/token-claims.js';
import { runTokenCommand, type TokenArgs } from '../../src/cli/token-command.js';
import { healthyTenant } from '../../src/emulator/tenant.js';
import { ConfigError } from '../../src/core/errors.js';
import { Redactor } from '../../src/core/redact.js';
import { runCli } from '../helpers/cli.js';

const JWT = /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/;
const claimsOf = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
const { credentials: DEMO } = healthyTenant();
const noSecrets = (run: { stdout: string; stderr: string }) => {
  for (const secret of [DEMO.password, DEMO.clientSecret]) expect(run.stdout + run.stderr).not.toContain(secret);
};
const row = (out: string, claim: string) => new RegExp(`^ {2}${claim} +(.*)$`, 'm').exec(out)?.[1];

describe('claims table', () => {
  it('shows aud, scp, roles, upn, tid, oid, appid, iat, exp as local time, and the time left', () => {
    const now = new Date('2026-03-01T10:00:00Z');
    const info: TokenInfo = {
      accessToken: 'x',
      hasRefreshToken: true,
      claims: {
        aud: 'https://outlook.office.com',
        scp: 'IMAP.AccessAsUser.All SMTP.Send',
        unique_name: 'box@contoso.com',
        tid: 't-id',
        oid: 'o-id',
        azp: 'client-id',
        iat: now.getTime() / 1000 - 300,
        exp: now.getTime() / 1000 + 3725,
      },
    };
    expect(claimRows(info, now)).toEqual([
      { claim: 'aud', value: 'https://outlook.office.com' },
      { claim: 'scp', value: 'IMAP.AccessAsUser.All SMTP.Send' },
      { claim: 'roles', value: '-' },
      { claim: 'upn', value: 'box@contoso.com' },
      { claim: 'tid', value: 't-id' },
      { claim: 'oid', value: 'o-id' },
      { claim: 'appid', value: 'client-id' },
      { claim: 'iat', value: localTime(new Date('2026-03-01T09:55:00Z')) },
      { claim: 'exp', value: localTime(new Date('2026-03-01T11:02:05Z')) },
      { claim: 'time left', value: '1 h 2 min' },
    ]);
    expect(localTime(now)).toMatch(/^2026-03-0[12] \d\d:00:00 [+-]\d\d:\d\d$/);
    expect(timeLeft(59 * 60_000 + 58_000)).toBe('59 min 58 s');
    expect(timeLeft(-180_000)).toBe('expired 3 min 0 s ago');
  });
});

describe('--raw', () => {
  it('is refused with a reason when stdout is a terminal, before any request', async () => {
    let written = '';
    const stream = {
      isTTY: true,
      write: (s: string) => {
        written += s;
        return true;
      },
    } as unknown as NodeJS.WriteStream;
    const args: TokenArgs = { raw: true, demo: true, resource: 'exchange' };
    const io = { stdout: stream, stderr: stream, env: {}, now: () => new Date() };
    await expect(runTokenCommand(args, new Redactor(), io)).rejects.toThrow(ConfigError);
    await expect(runTokenCommand(args, new Redactor(), io)).rejects.toThrow(
      /--raw: stdout is a terminal, where the token would stay on screen and in the scrollback\. Pipe or redirect it/,
    );
    expect(written).toBe('');
  });

  it('prints only the access token into a pipe', async () => {
    const run = await runCli(['token', '--demo', '--raw']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^${JWT.source}\\n$`));
    expect(claimsOf(run.stdout.trim())).toMatchObject({
      aud: 'https://outlook.office.com',
      upn: 'connector@m365doctordemo.onmicrosoft.com',
    });
    expect(run.stderr).toMatch(/wrote the raw access token to stdout \(expires .*\); treat it like a password/);
    expect(run.stderr).not.toMatch(JWT);
    noSecrets(run);
  });
});

describe('the token command against the emulated tenant', () => {
  it("shows the decoded ROPC token for the activities' Exchange scopes, never the token", async () => {
    const run = await runCli(['token', '--demo', '--activities', 'read-imap,send-smtp'], {
      env: { TZ: 'Asia/Kolkata' },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toMatch(JWT);
    expect(run.stdout).not.toMatch(/REDACTED/);
    expect(run.stdout).toMatch(
      /^requested: https:\/\/outlook\.office\.com\/IMAP\.AccessAsUser\.All https:\/\/outlook\.office\.com\/SMTP\.Send offline_access$/m,
    );
    // The token endpoint's own scope field (Entra adds the OpenID scopes it granted).
    expect(run.stdout).toMatch(
      /^granted: {3}\S+\/IMAP\.AccessAsUser\.All \S+\/SMTP\.Send offline_access openid profile$/m,
    );
    expect(row(run.stdout, 'aud')).toBe('https://outlook.office.com');
    expect(row(run.stdout, 'scp')).toBe('IMAP.AccessAsUser.All SMTP.Send');
    expect(row(run.stdout, 'roles')).toBe('-');
    expect(row(run.stdout, 'upn')).toBe('connector@m365doctordemo.onmicrosoft.com');
    expect(row(run.stdout, 'tid')).toBe('11111111-1111-1111-1111-111111111111');
    expect(row(run.stdout, 'appid')).toBe('22222222-2222-2222-2222-222222222222');
    // Local time of the process (TZ), not UTC.
    expect(row(run.stdout, 'exp')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+05:30$/);
    expect(row(run.stdout, 'time left')).toMatch(/^(59 min \d+ s|1 h 0 min)$/);
    expect(run.stdout).toMatch(/^refresh token: issued \(not shown\)$/m);
    noSecrets(run);
  });

  it('asks for exactly the scopes of --scope (a repeated single-value flag takes its last value)', async () => {
    const run = await runCli([
      'token',
      '--demo',
      '--scope',
      'https://outlook.office.com/POP.AccessAsUser.All offline_access',
      '--cloud',
      'china',
      '--cloud',
      'global',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(row(run.stdout, 'scp')).toBe('POP.AccessAsUser.All');
  });

  it('--app shows the client-credentials token of the chosen resource with its roles', async () => {
    const run = await runCli(['token', '--demo', '--app', '--resource', 'graph']);
    expect(run.code, run.stderr).toBe(0);
    expect(row(run.stdout, 'aud')).toBe('https://graph.microsoft.com');
    expect(row(run.stdout, 'roles')).toBe('Mail.Send User.Read.All');
    expect(row(run.stdout, 'upn')).toBe('-');
  });

  it("a refused request exits 1 with Entra's code and the fix, and no secret", async () => {
    const run = await runCli(['token', '--scenario', 'wrong-password']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^m365-doctor: the token request failed: AADSTS50126: Error validating credentials/);
    expect(run.stderr).toMatch(/^Fix: Check the password of connector@m365doctordemo\.onmicrosoft\.com/m);
    expect(run.stderr).toMatch(/^More: m365-doctor explain AADSTS50126$/m);
    noSecrets(run);
  });

  it('missing inputs are a usage error naming the flag', async () => {
    const run = await runCli([
      'token',
      '--tenant',
      'contoso.onmicrosoft.com',
      '--client-id',
      '6f1d2c3b-4a59-4e8f-9a0b-1c2d3e4f5a6b',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^m365-doctor: --username: is needed for a password-grant token and was not given\. Give it as --username, in M365_DOCTOR_USERNAME or in the config file/,
    );
  });
});
