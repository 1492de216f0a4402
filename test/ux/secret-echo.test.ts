// Values that may be secrets are never echoed by a usage or configuration error: a stray positional value, an
// {env} reference holding a value instead of a name; and a secret flag given twice or without a value is an
// exit-2 error naming the flag. Every output of each run is searched for the canary. Needs dist/.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unsetEnvProblem } from '../../src/config/env-name.js';
import { runCli, type CliRun } from '../helpers/cli.js';
import { forbiddenForms } from '../reliability/helpers/canary.js';

// The scanner wants a CANARY core; the rest is the example.
const CANARY = 'CANARYSummer2026Secret';
const dir = mkdtempSync(join(tmpdir(), 'm365-doctor-secret-echo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function expectNoCanary(run: CliRun, canary = CANARY): void {
  for (const form of forbiddenForms(canary)) {
    expect(run.stdout, `stdout holds ${form}`).not.toContain(form);
    expect(run.stderr, `stderr holds ${form}`).not.toContain(form);
  }
}

function expectUsage(run: CliRun, pattern: RegExp): void {
  expect(run.code, run.stderr).toBe(2);
  expect(run.stderr).toMatch(pattern);
  expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
}

describe('no secret-looking value in an error', () => {
  it('a value after a flag that takes none is counted, not shown', async () => {
    const run = await runCli(['check', '--password-stdin', `${CANARY}!`], { input: 'x\n' });
    expectUsage(run, /1 unexpected positional argument \(not shown/);
    expectNoCanary(run);
    const two = await runCli(['token', '--demo', `${CANARY}!`, `${CANARY}2`]);
    expectUsage(two, /2 unexpected positional arguments/);
    expectNoCanary(two);
  });

  it('an unknown option is still named, a value beside it is not', async () => {
    const run = await runCli(['check', '--pasword', `${CANARY}!`, `${CANARY}x`]);
    expectUsage(run, /unknown option: --pasword/);
    expectNoCanary(run);
  });

  it('{"env": VALUE} that is no variable name: "an invalid variable name", in the config file and the targets file', async () => {
    const config = join(dir, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        tenant: 'contoso.onmicrosoft.com',
        clientId: '11111111-1111-4111-8111-111111111111',
        username: 'box@contoso.onmicrosoft.com',
        password: { env: `${CANARY}!` },
      }),
    );
    const run = await runCli(['check', '--config', config]);
    // The config schema holds the name's shape already: the error names the field, never the value.
    expectUsage(run, /password in config\.json: /);
    expectNoCanary(run);
    // Without the "!" it has the shape of a name: a name that is not set is named, as before.
    writeFileSync(
      config,
      JSON.stringify({
        tenant: 'contoso.onmicrosoft.com',
        username: 'box@contoso.onmicrosoft.com',
        password: { env: 'M365_TEST_UNSET_VAR' },
      }),
    );
    const named = await runCli(['check', '--config', config]);
    expectUsage(named, /refers to environment variable M365_TEST_UNSET_VAR, which is not set/);

    const targets = join(dir, 'targets.json');
    writeFileSync(
      targets,
      JSON.stringify({
        targets: [
          {
            name: 'a',
            tenant: 'contoso.onmicrosoft.com',
            clientId: '11111111-1111-4111-8111-111111111111',
            username: 'box@contoso.onmicrosoft.com',
            password: { env: `${CANARY} with spaces` },
          },
        ],
      }),
    );
    const fleet = await runCli(['check', '--targets', targets]);
    expectUsage(fleet, /targets\[0\]\.password\.env in targets\.json: /);
    expectNoCanary(fleet);
  });

  it('the reference reader itself names a variable only when it has the shape of one', () => {
    expect(unsetEnvProblem(`${CANARY}!`).problem).toBe(
      'refers to an invalid variable name (not shown: it may be a secret)',
    );
    expect(unsetEnvProblem(`${CANARY}!`).fix).not.toContain(CANARY);
    expect(unsetEnvProblem('MY_SECRET_1').problem).toBe('refers to environment variable MY_SECRET_1, which is not set');
    // Defect 14's own example: a password with a variable's shape ({"env": "Summer2026Secret"}) is not echoed either.
    for (const pasted of ['Summer2026Secret', CANARY]) {
      const { problem, fix } = unsetEnvProblem(pasted);
      expect(`${problem} ${fix}`).not.toContain(pasted);
      expect(problem).toMatch(/its name is not shown/);
    }
  });

  it('{"env": "Summer2026Secret"} in a config file: exit 2, the value never printed', async () => {
    const config = join(dir, 'mixed-case-env.json');
    writeFileSync(
      config,
      JSON.stringify({
        tenant: 'contoso.onmicrosoft.com',
        username: 'box@contoso.onmicrosoft.com',
        password: { env: CANARY },
      }),
    );
    const run = await runCli(['check', '--config', config]);
    expectUsage(run, /password in mixed-case-env\.json: refers to an environment variable that is not set/);
    expectNoCanary(run);
  });

  for (const flag of ['--password', '--client-secret', '--admin-client-secret']) {
    it(`${flag} without a value, or twice: exit 2 naming the flag`, async () => {
      const empty = await runCli(['check', '--demo', flag]);
      expectUsage(empty, new RegExp(`${flag}: has no value`));
      const emptyBeforeFlag = await runCli(['check', flag, '--demo']);
      expectUsage(emptyBeforeFlag, new RegExp(`${flag}: has no value`));
      const twice = await runCli(['check', '--demo', flag, `${CANARY}1`, flag, `${CANARY}2`]);
      expectUsage(twice, new RegExp(`${flag}: is given more than once`));
      expectNoCanary(twice, `${CANARY}1`);
      expectNoCanary(twice, `${CANARY}2`);
    });
  }

  it('token: --password twice is exit 2 too', async () => {
    const run = await runCli(['token', '--demo', '--password', `${CANARY}1`, '--password', `${CANARY}2`]);
    expectUsage(run, /--password: is given more than once/);
    expectNoCanary(run, `${CANARY}1`);
  });
});
