// Issue #13 item 4: on a real terminal (tmux), a missing secret is asked for hidden: the typed canaries never
// appear in the bytes written to the terminal, and the run signs in with them; --password-stdin on a terminal
// asks instead of refusing; Ctrl-C at the prompt exits 130. Without a terminal (CI) nothing is ever asked.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/cli.js';
import { openTerminal, tmuxAvailable, type Terminal } from '../ux/helpers/tmux.js';
import { startStandaloneEmulator, targetFlags, type StandaloneEmulator } from './helpers/standalone-emulator.js';

const hasTmux = tmuxAvailable();
if (!hasTmux)
  console.warn(
    'secret prompt test SKIPPED: tmux is not installed, so the hidden prompt was not typed at under a pseudo-terminal',
  );

let emu: StandaloneEmulator;
let stopEmulator = () => {};
beforeAll(async () => {
  ({ emu, stop: stopEmulator } = await startStandaloneEmulator());
});
afterAll(() => stopEmulator());

const target = () => targetFlags(emu);

describe.skipIf(!hasTmux)('hidden prompt under a pseudo-terminal', { timeout: 90_000 }, () => {
  let dir: string;
  let baseEnv: Record<string, string>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'm365-doctor-prompt-'));
    mkdirSync(join(dir, '.bin'));
    symlinkSync(BIN, join(dir, '.bin', 'm365-doctor'));
    baseEnv = {};
    for (const [k, v] of Object.entries(process.env))
      if (v !== undefined && !/^(M365_DOCTOR_|CI$|TMUX)/.test(k)) baseEnv[k] = v;
    Object.assign(baseEnv, {
      PATH: `${join(dir, '.bin')}${delimiter}${process.env.PATH ?? ''}`,
      TERM: 'xterm-256color',
      PS1: '$ ',
    });
  });
  const inTerminal = async (
    name: string,
    env: Record<string, string>,
    fn: (term: Terminal, bytes: () => string) => Promise<void>,
  ) => {
    const term = openTerminal({ cwd: dir, env: { ...baseEnv, ...env } });
    const log = join(dir, `${name}.bytes`);
    writeFileSync(log, '');
    term.record(log);
    try {
      await fn(term, () => readFileSync(log, 'latin1'));
    } finally {
      term.close();
    }
  };
  const report = (file: string) =>
    JSON.parse(readFileSync(join(dir, file), 'utf8')) as { checks: { id: string; status: string }[] };

  it('asks for the client secret and the password without echo, and signs in with them', () =>
    inTerminal('both', {}, async (term, bytes) => {
      term.type(`m365-doctor check ${target().join(' ')} --only ropc-token --format json > both.json; echo "exit=$?"`);
      await term.waitFor(
        (s) => /Client secret of app \S+ \(hidden; Enter for none, a public client\): *$/m.test(s),
        'the client secret question',
      );
      term.type(emu.clientSecret);
      await term.waitFor((s) => /Password of \S+ \(hidden\): *$/m.test(s), 'the password question');
      term.type(emu.password);
      const screen = await term.waitFor((s) => /^exit=\d+/m.test(s), 'the run to end');
      expect(screen).toMatch(/^exit=0$/m);
      expect(report('both.json').checks.find((c) => c.id === 'ropc-token')?.status).toBe('pass');
      const seen = bytes();
      expect(seen).toMatch(/Password of/);
      expect(seen).not.toContain(emu.password);
      expect(seen).not.toContain(emu.clientSecret);
      // Not even a shortened form: a third of the canary is enough to count as echoed.
      expect(seen).not.toContain(emu.password.slice(0, 6));
    }));

  it('--password-stdin on a terminal asks hidden instead of refusing', () =>
    inTerminal('stdin', { M365_DOCTOR_CLIENT_SECRET: '' }, async (term, bytes) => {
      term.type(
        `M365_DOCTOR_CLIENT_SECRET="$(cat secret.txt)" m365-doctor check ${target().join(' ')} --password-stdin --only ropc-token --format json > stdin.json; echo "exit=$?"`,
      );
      await term.waitFor((s) => /Password \(--password-stdin, hidden\): *$/m.test(s), 'the --password-stdin question');
      term.type(emu.password);
      const screen = await term.waitFor((s) => /^exit=\d+/m.test(s), 'the run to end');
      expect(screen).toMatch(/^exit=0$/m);
      expect(report('stdin.json').checks.find((c) => c.id === 'ropc-token')?.status).toBe('pass');
      expect(bytes()).not.toContain(emu.password);
    }));

  it('Ctrl-C at the prompt exits 130 and runs nothing', () =>
    inTerminal('cancel', {}, async (term) => {
      term.type(`m365-doctor check ${target().join(' ')} --format json > cancel.json; echo "exit=$?"`);
      await term.waitFor((s) => /Client secret of app/.test(s), 'the client secret question');
      term.keys('C-c');
      const screen = await term.waitFor((s) => /^exit=\d+/m.test(s), 'the run to end');
      expect(screen).toMatch(/^exit=130$/m);
      expect(screen).toMatch(/m365-doctor: cancelled at the prompt; nothing was run\./);
      expect(readFileSync(join(dir, 'cancel.json'), 'utf8')).toBe('');
    }));

  beforeAll(() => {
    writeFileSync(join(dir, 'secret.txt'), emu.clientSecret);
  });
});

describe('without a terminal', () => {
  it("never asks: a missing password is the config check's finding, as before", async () => {
    const run = await runCli(['check', ...target(), '--only', 'config', '--format', 'json']);
    expect(run.stderr).not.toMatch(/hidden/);
    expect(run.code).toBe(1);
    expect((JSON.parse(run.stdout) as { checks: { id: string; status: string }[] }).checks[0]).toMatchObject({
      id: 'config',
      status: 'fail',
    });
  });

  it('--prompt without a terminal is a usage error', async () => {
    const run = await runCli(['check', ...target(), '--prompt']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^m365-doctor: --prompt: stdin is not a terminal, so there is nobody to ask\./);
  });

  it('--password-stdin still reads a pipe', async () => {
    const run = await runCli(
      ['check', ...target(), '--client-secret-stdin', '--password-stdin', '--only', 'ropc-token', '--format', 'json'],
      { input: `${emu.clientSecret}\n${emu.password}\n` },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(BIN)).toBe(true);
  });
});
