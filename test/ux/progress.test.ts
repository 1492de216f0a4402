// Progress of a check run: the live list on a terminal (replayed on a virtual screen), plain lines in CI or a
// pipe, nothing but problems and the summary with --quiet.
import { describe, expect, it } from 'vitest';
import { STATUS_LABEL } from '../../reporters/status-text.js';
import type { CheckResult } from '../../src/core/result.js';
import { createProgress, progressMode } from '../../src/output/progress.js';
import { fitWidth } from '../../src/output/terminal-text.js';
import { runCli } from '../helpers/cli.js';
import { renderScreen } from './helpers/screen.js';

function fakeTerminal(columns = 100, rows = 30) {
  const stream = {
    isTTY: true,
    columns,
    rows,
    output: '',
    write(chunk: string) {
      stream.output += chunk;
      return true;
    },
  };
  return stream;
}

const result = (id: string, status: CheckResult['status'], extra: Partial<CheckResult> = {}): CheckResult =>
  ({
    id,
    title: `Title of ${id}`,
    category: 'config',
    status,
    message: `${id} says ${status}`,
    evidence: {},
    docsUrl: 'https://example.com',
    durationMs: 12,
    dependsOn: [],
    ...extra,
  }) as CheckResult;

describe('mode', () => {
  it('is live on a terminal, plain in a pipe or when CI is set', () => {
    expect(progressMode({ isTTY: true }, {})).toBe('live');
    expect(progressMode({ isTTY: true }, { CI: 'true' })).toBe('plain');
    expect(progressMode({ isTTY: true }, { CI: 'false' })).toBe('live');
    expect(progressMode({ isTTY: false }, {})).toBe('plain');
    expect(progressMode({}, {})).toBe('plain');
  });
});

describe('live list', () => {
  it('shows each check as it starts and turns its line into the status as it ends, in place', () => {
    const term = fakeTerminal();
    const stream = term as unknown as NodeJS.WriteStream;
    const ownWrite = stream.write;
    const progress = createProgress(stream, 3, { env: {} });
    progress.onEvent({ type: 'checkStarted', id: 'a', title: 'Title of a' });
    progress.onEvent({ type: 'checkStarted', id: 'b', title: 'Title of b' });
    let screen = renderScreen(term.output);
    expect(screen).toHaveLength(2);
    expect(screen[0]).toMatch(/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] running Title of a \(a\)$/);
    expect(screen[1]).toMatch(/running Title of b \(b\)$/);

    // b ends first: its line changes while a (above it) still runs.
    progress.onEvent({ type: 'checkFinished', result: result('b', 'fail', { code: 'B_BAD' }) });
    screen = renderScreen(term.output);
    expect(screen[0]).toMatch(/running Title of a/);
    expect(screen[1]).toBe(`${STATUS_LABEL.fail}    Title of b (b) 12 ms: b says fail [B_BAD]`);

    // A log line written meanwhile lands above the live lines instead of tearing them.
    stream.write('[warn] something to say\n');
    progress.onEvent({ type: 'checkFinished', result: result('a', 'pass') });
    progress.onEvent({
      type: 'checkFinished',
      result: result('c', 'skip', { message: 'Skipped: depends on b, which failed.' }),
    });
    progress.onEvent({ type: 'checkFinished', result: result('d', 'skip', { skipReason: 'not-selected' }) });
    progress.done();
    screen = renderScreen(term.output);
    expect(screen).toEqual([
      '[warn] something to say',
      `${STATUS_LABEL.pass}    Title of a (a) 12 ms`,
      `${STATUS_LABEL.fail}    Title of b (b) 12 ms: b says fail [B_BAD]`,
      `${STATUS_LABEL.skip}    Title of c (c): Skipped: depends on b, which failed.`,
    ]);
    expect(stream.write).toBe(ownWrite);
    expect(term.output.endsWith('\u001b[?25h')).toBe(true);
  });

  it('on a short terminal, loses no status when more checks run than there are rows', () => {
    const term = fakeTerminal(100, 6);
    const progress = createProgress(term as unknown as NodeJS.WriteStream, 8, { env: {} });
    const ids = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8'];
    for (const id of ids) progress.onEvent({ type: 'checkStarted', id, title: `Title of ${id}` });
    // The live part never grows past the screen, or the cursor could not reach its top line any more.
    const ups = [...term.output.matchAll(/\u001b\[(\d+)F/g)].map((m) => Number(m[1]));
    expect(Math.max(...ups)).toBe(6 - 2);
    expect(renderScreen(term.output).filter((l) => l.includes('running'))).toHaveLength(8);
    for (const id of [...ids].reverse()) progress.onEvent({ type: 'checkFinished', result: result(id, 'pass') });
    progress.done();
    const screen = renderScreen(term.output);
    for (const id of ids) expect(screen, id).toContain(`${STATUS_LABEL.pass}    Title of ${id} (${id}) 12 ms`);
  });

  it('keeps every line within the terminal width, so redraws never wrap', () => {
    const term = fakeTerminal(40);
    const progress = createProgress(term as unknown as NodeJS.WriteStream, 1, { env: {} });
    progress.onEvent({ type: 'checkFinished', result: result('long', 'error', { message: 'x'.repeat(200) }) });
    progress.done();
    const screen = renderScreen(term.output);
    expect(screen).toHaveLength(1);
    expect(screen[0]).toHaveLength(39);
    expect(screen[0].endsWith('…')).toBe(true);
    expect(fitWidth('\u001b[31mred\u001b[39m text', 6)).toBe('\u001b[31mred\u001b[39m t…\u001b[0m');
  });

  it('never lets server text drive the terminal', () => {
    const term = fakeTerminal();
    const progress = createProgress(term as unknown as NodeJS.WriteStream, 1, { env: {} });
    progress.onEvent({
      type: 'checkFinished',
      result: result('evil', 'fail', { message: 'bad\u001b[2Jline\rmore\nnext' }),
    });
    progress.done();
    expect(renderScreen(term.output)).toEqual([
      `${STATUS_LABEL.fail}    Title of evil (evil) 12 ms: bad\uFFFD[2Jline\uFFFDmore next`,
    ]);
  });
});

describe('the CLI', () => {
  const RESULT_LINE = /^(✔ pass|! warn|✖ fail|- skip|‼ error)\s+.+ \(([a-z0-9-]+)\)/;

  it('prints one plain line per check on stderr when CI=true, matching the report', async () => {
    const run = await runCli(['check', '--scenario', 'mfa-required', '--format', 'json'], { env: { CI: 'true' } });
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as { checks: { id: string; status: keyof typeof STATUS_LABEL }[] };
    const lines = run.stderr.split('\n').filter((l) => RESULT_LINE.test(l));
    expect(lines).toHaveLength(report.checks.length);
    for (const c of report.checks) {
      const line = lines.find((l) => l.includes(`(${c.id})`));
      expect(line, c.id).toBeDefined();
      expect(line!.startsWith(STATUS_LABEL[c.status]), line).toBe(true);
    }
    // No cursor movement, spinner or colour in a CI log.
    expect(run.stderr).not.toMatch(/\u001b/);
    expect(lines.find((l) => l.includes('(ropc-token)'))).toMatch(
      /: Multi-factor authentication is required.*\[AADSTS50076\]$/,
    );
  });

  it('prints the same plain lines into a pipe without CI', async () => {
    const run = await runCli(['check', '--demo', '--only', 'user-realm', '--format', 'json'], { env: { CI: '' } });
    expect(run.code, run.stderr).toBe(0);
    expect(
      run.stderr
        .split('\n')
        .filter((l) => RESULT_LINE.test(l))
        .map((l) => RESULT_LINE.exec(l)![2])
        .sort(),
    ).toEqual(['user-realm']); // it depends on nothing: its input is the user name
  });

  it('--quiet prints only the failures and the summary', async () => {
    const run = await runCli(['check', '--scenario', 'mfa-required', '--quiet'], { env: { CI: 'true' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/ropc-token/);
    expect(run.stdout).toMatch(/sign-in-policy/);
    expect(run.stdout).not.toMatch(/✔ pass|- skip/);
    expect(run.stdout).not.toMatch(/tenant-discovery|user-realm/);
    expect(run.stdout).toMatch(/^20 checks: \d+ pass, 0 warn, 2 fail, \d+ skip, 0 error/m);
  });
});
