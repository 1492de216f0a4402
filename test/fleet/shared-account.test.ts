// One mailbox in several fleet targets (user names differing in case): one password attempt for all of them,
// counted at the emulated token endpoint, and a warning on stderr and in the report. Needs dist/.
import { endpointValues } from '../../src/config/validate.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { runCli } from '../helpers/cli.js';

let e: RunningEmulator;
const dir = mkdtempSync(join(tmpdir(), 'm365-doctor-shared-account-'));
beforeAll(async () => {
  e = await startEmulator();
});
afterAll(async () => {
  await e?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function targetsFile(
  usernames: string[],
  password: (i: number) => string,
): { file: string; env: Record<string, string> } {
  const c = e.credentials;
  const env: Record<string, string> = { SHARED_SECRET: c.clientSecret };
  const targets = usernames.map((username, i) => {
    env[`SHARED_PW_${i}`] = password(i);
    return {
      name: `box-${i}`,
      tenant: c.domain,
      clientId: c.clientId,
      clientSecret: { env: 'SHARED_SECRET' },
      username,
      password: { env: `SHARED_PW_${i}` },
      endpoints: endpointValues(e),
    };
  });
  const file = join(dir, `targets-${usernames.length}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({ defaults: { caFile: e.caFile }, targets }));
  return { file, env };
}

const passwordPosts = () =>
  e.log.entries.filter((x) => x.service === 'entra' && x.method === 'POST' && x.detail === 'password').length;

describe('one account in several targets', () => {
  it('wrong password, three targets, one in capitals: exactly one ROPC POST, every target shows the refusal, warned', async () => {
    const user = e.credentials.username;
    const { file, env } = targetsFile([user, user.toUpperCase(), user], () => 'Wrong-Password-1!');
    e.log.clear();
    const run = await runCli(['check', '--targets', file, '--format', 'json', '--concurrency', '3'], { env });
    expect(run.code, run.stderr).toBe(1);
    expect(passwordPosts()).toBe(1);
    expect(run.stderr).toMatch(
      /warning: targets "box-0", "box-1", "box-2" share the account .*: one password attempt is made for all of them/,
    );
    const report = JSON.parse(run.stdout);
    expect(report.sharedAccounts).toEqual([{ username: user, targets: ['box-0', 'box-1', 'box-2'] }]);
    expect(report.requests.tokenPosts.ropc).toBe(1);
    const ropc = report.targets.map((t: { report: { checks: { id: string; status: string; code: string }[] } }) =>
      t.report.checks.find((c) => c.id === 'ropc-token'),
    );
    // The emulator refuses a wrong password with AADSTS50126; all three targets report that one answer.
    expect(ropc.map((c: { status: string; code: string }) => `${c.status} ${c.code}`)).toEqual(
      Array(3).fill('fail AADSTS50126'),
    );
    expect(run.stdout + run.stderr).not.toContain('Wrong-Password-1!');
  }, 120_000);

  it("right password: one ROPC POST, and the token serves every target's mail logins", async () => {
    const user = e.credentials.username;
    const { file, env } = targetsFile([user, user.toUpperCase()], () => e.credentials.password);
    e.log.clear();
    const run = await runCli(['check', '--targets', file, '--format', 'json'], { env });
    expect(run.code, run.stderr).toBe(0);
    expect(passwordPosts()).toBe(1);
    const report = JSON.parse(run.stdout);
    for (const t of report.targets)
      expect(t.report.checks.find((c: { id: string }) => c.id === 'imap-login').status).toBe('pass');
  }, 120_000);

  it('another password for the same account is not tried: the second target says why, still one POST', async () => {
    const user = e.credentials.username;
    const { file, env } = targetsFile([user, user], (i) => (i === 0 ? 'Wrong-Password-1!' : 'Other-Wrong-2!'));
    e.log.clear();
    const run = await runCli(['check', '--targets', file, '--format', 'json', '--concurrency', '1'], { env });
    expect(passwordPosts()).toBe(1);
    const report = JSON.parse(run.stdout);
    const second = report.targets[1].report.checks.find((c: { id: string }) => c.id === 'ropc-token');
    expect(second.status).toBe('error');
    expect(second.message).toMatch(/Not tried: target "box-0" already made this run's one password attempt/);
    expect(run.stdout + run.stderr).not.toMatch(/Wrong-Password-1!|Other-Wrong-2!/);
  }, 120_000);

  it('different users of one tenant are not grouped', async () => {
    const { file, env } = targetsFile(
      [e.credentials.username, `other.${e.credentials.username}`],
      () => 'Wrong-Password-1!',
    );
    e.log.clear();
    const run = await runCli(['check', '--targets', file, '--format', 'json', '--only', 'ropc-token'], { env });
    expect(run.stderr).not.toMatch(/share the account/);
    expect(JSON.parse(run.stdout).sharedAccounts).toBeUndefined();
    expect(passwordPosts()).toBe(2);
  }, 120_000);
});
