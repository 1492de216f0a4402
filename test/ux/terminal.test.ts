// Under a real pseudo-terminal (tmux): `init` answered key by key, including a refused answer that is asked
// again, and `check --demo` whose live progress lines turn from spinners into statuses before the report.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli.js';
import { openTerminal, tmuxAvailable, type Terminal } from './helpers/tmux.js';

const SLOW_PLUGIN = fileURLToPath(new URL('./fixtures/slow-plugin.mjs', import.meta.url));
const CLIENT_ID = '6f1d2c3b-4a59-4e8f-9a0b-1c2d3e4f5a6b';
const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] running/;
const hasTmux = tmuxAvailable();
if (!hasTmux)
  console.warn(
    'terminal test SKIPPED: tmux is not installed, so init and the live progress were not driven under a pseudo-terminal',
  );

/** Screens seen during the test, kept for a person to look at when something fails. */
function keep(name: string, text: string): void {
  const dir = join(ROOT, 'test-artifacts');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `ux-terminal-${name}.txt`), text);
}

describe.skipIf(!hasTmux)('under a pseudo-terminal', { timeout: 120_000 }, () => {
  let dir: string;
  let env: Record<string, string>;
  /** Each test gets a fresh terminal, so one failure cannot leave the next test typing into a question. */
  const inTerminal = async (fn: (term: Terminal) => Promise<void>) => {
    const term = openTerminal({ cwd: dir, env });
    try {
      await fn(term);
    } finally {
      term.close();
    }
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'm365-doctor-tty-'));
    const binDir = join(dir, '.bin');
    mkdirSync(binDir);
    symlinkSync(BIN, join(binDir, 'm365-doctor'));
    env = {};
    // A developer's or CI's settings must not change what the terminal shows (CI=true means plain progress).
    for (const [k, v] of Object.entries(process.env))
      if (v !== undefined && !/^(M365_DOCTOR_|CI$|NO_COLOR$|TMUX)/.test(k)) env[k] = v;
    Object.assign(env, {
      PATH: `${binDir}${delimiter}${process.env.PATH ?? ''}`,
      TERM: process.env.TERM || 'xterm-256color',
      PS1: '$ ',
      UX_SLOW_MS: '4000',
    });
  });

  it('init asks, re-asks a bad answer and writes the file', () =>
    inTerminal(async (term) => {
      term.type('m365-doctor init');
      await term.waitFor((s) => /Tenant id or verified domain.*:\s*$/m.test(s), 'the tenant question');
      term.type('not a tenant!');
      let screen = await term.waitFor(
        (s) => (s.match(/Tenant id or verified domain/g) ?? []).length === 2,
        'the tenant question again',
      );
      expect(screen).toMatch(/"not a tenant!" is neither a tenant id \(GUID\) nor a domain name\. Try again\./);
      term.type('contoso.onmicrosoft.com');
      await term.waitFor((s) => /Application \(client\) id.*:\s*$/m.test(s), 'the client id question');
      term.type(CLIENT_ID);
      await term.waitFor((s) => /User principal name.*:\s*$/m.test(s), 'the user question');
      term.type('connector@contoso.com');
      await term.waitFor((s) => /What the connector does.*:\s*$/m.test(s), 'the activities question');
      term.type('read-imap, send-smtp');
      await term.waitFor((s) => /Microsoft cloud.*\[global\]:\s*$/m.test(s), 'the cloud question');
      term.type('');
      screen = await term.waitFor((s) => /Wrote m365-doctor\.json/.test(s), 'the file to be written');
      keep('init', screen);
      expect(JSON.parse(readFileSync(join(dir, 'm365-doctor.json'), 'utf8'))).toMatchObject({
        tenant: 'contoso.onmicrosoft.com',
        clientId: CLIENT_ID,
        username: 'connector@contoso.com',
        activities: ['read-imap', 'send-smtp'],
        cloud: 'global',
        clientSecret: { env: 'M365_DOCTOR_CLIENT_SECRET' },
        password: { env: 'M365_DOCTOR_PASSWORD' },
      });
    }));

  it('Ctrl-C during the questions of init writes nothing', () =>
    inTerminal(async (term) => {
      term.type('m365-doctor init --file cancelled.json; echo "EXIT=$?"');
      await term.waitFor((s) => /Tenant id or verified domain.*:\s*$/m.test(s), 'the tenant question');
      term.keys('C-c');
      const screen = await term.waitFor((s) => /EXIT=\d+/.test(s), 'init to end');
      expect(screen).toMatch(/m365-doctor init: cancelled; nothing was written\.\nEXIT=130/);
      expect(existsSync(join(dir, 'cancelled.json'))).toBe(false);
    }));

  it('check --demo shows each check live, then its status, then the report', () =>
    inTerminal(async (term) => {
      term.type('m365-doctor check --demo --plugin ' + SLOW_PLUGIN + '; echo "EXIT=$?"');
      // While the slow check runs, others have already turned into statuses around it.
      const during = await term.waitFor(
        (s) =>
          /running Slow plugin check \(ux-slow\)/.test(s) &&
          /✔ pass +App id and secret are valid \(app-credentials\)/.test(s),
        'the slow check running while others have finished',
      );
      keep('check-during', during);
      expect(during).toMatch(SPINNER);
      expect(during).not.toMatch(/EXIT=\d/);
      expect(during).not.toMatch(/┌/);

      const after = await term.waitFor((s) => /EXIT=\d+/.test(s), 'the end of the run', 60000, { history: true });
      keep('check-after', after);
      expect(after).toMatch(/EXIT=0/);
      const lines = after.split('\n');
      const slow = lines.findIndex((l) => /\(ux-slow\)/.test(l));
      expect(lines[slow]).toMatch(/^✔ pass +Slow plugin check \(ux-slow\) [\d.]+ s$/);
      expect(after).not.toMatch(SPINNER);
      // Every check has its one status line, all above the report, which is printed whole after them.
      const reportStart = lines.findIndex((l) => /^m365-doctor \S+: tenant /.test(l));
      expect(reportStart).toBeGreaterThan(slow);
      const statusLines = lines.filter((l) => /^(✔ pass|! warn|✖ fail|- skip|‼ error) +.+ \([a-z0-9-]+\)/.test(l));
      expect(statusLines).toHaveLength(21);
      expect(lines.findIndex((l) => statusLines.includes(l) && lines.indexOf(l) > reportStart)).toBe(-1);
      // The report reads like flutter doctor: one line per category, no box, passes collapsed.
      const categories = lines.slice(reportStart).filter((l) => /^\[[✔!✖‼-]\] /.test(l));
      expect(categories.map((l) => l.slice(0, 3))).toEqual(['[✔]', '[✔]', '[✔]', '[✔]', '[✔]']);
      expect(after).not.toMatch(/[┌└]/);
      expect(after).toContain('1 check not run: give --send-test-mail.');
      expect(after).toMatch(/^21 checks: 19 pass, 0 warn, 0 fail, 2 skip, 0 error/m);
    }));

  it('token --raw on the terminal is refused and shows no token', () =>
    inTerminal(async (term) => {
      term.type('m365-doctor token --demo --raw; echo "EXIT=$?"');
      const screen = await term.waitFor((s) => /EXIT=\d+/.test(s), 'token --raw to end');
      keep('token-raw', screen);
      expect(screen).toMatch(/EXIT=2/);
      expect(screen).toMatch(/--raw: stdout is a terminal/);
      expect(screen).not.toMatch(/eyJ/);
    }));
});
