// Input files a user (or an attacker) may hand m365-doctor: broken JSON holding a secret, /dev/zero, a FIFO,
// a folder, a file over its limit. Each is refused at once with exit 2 and one line naming the flag, and a
// JSON mistake is told by line and column, never by quoting the text (which would quote the secret).
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { INPUT_LIMITS, type InputKind } from '../../src/config/input-file.js';
import { jsonSyntaxProblem } from '../../src/config/json-syntax.js';
import { runCli } from '../helpers/cli.js';
import { forbiddenForms } from './helpers/canary.js';
import { writeOneTarget } from './helpers/one-target.js';

const tmp = mkdtempSync(join(tmpdir(), 'm365-doctor-hostile-files-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const CANARY = 'Summer2026CANARYpw7f3a!';
const STACK_LINE = /^\s+at .+[(:]\d+:\d+\)?$/m;

/** Each way a file reaches the CLI: the arguments for a path, the name its error line starts with, its size limit. */
const INPUTS: { name: string; args: (path: string) => string[]; field: RegExp; kind: InputKind }[] = [
  { name: '--config', args: (p) => ['check', '--config', p], field: /^m365-doctor: --config\b/, kind: 'config' },
  { name: '--targets', args: (p) => ['check', '--targets', p], field: /^m365-doctor: --targets\b/, kind: 'targets' },
  {
    name: '--scenario-file',
    args: (p) => ['check', '--scenario-file', p],
    field: /^m365-doctor: (--)?scenario-file\b/,
    kind: 'scenario',
  },
  { name: 'report', args: (p) => ['report', p], field: /^m365-doctor: report\b/, kind: 'report' },
  { name: 'merge', args: (p) => ['merge', p], field: /^m365-doctor: (merge|\S+\.json)\b/, kind: 'fleetReport' },
  {
    name: 'fix --from',
    args: (p) => ['fix', '--script', 'powershell', '--from', p],
    field: /^m365-doctor: (--from|report)\b/,
    kind: 'report',
  },
  {
    name: 'migrate --from',
    args: (p) => ['migrate', '--to', 'app-only', '--from', p],
    field: /^m365-doctor: (--from|report)\b/,
    kind: 'report',
  },
  {
    name: '--ca-file',
    args: (p) => ['check', '--ca-file', p, '--only', 'config'],
    field: /^m365-doctor: --ca-file\b/,
    kind: 'caFile',
  },
  {
    name: '{file} secret',
    args: (p) => {
      const targets = join(tmp, `targets-${Math.random().toString(36).slice(2)}.json`);
      writeOneTarget(targets, { file: p });
      return ['check', '--targets', targets];
    },
    field: /^m365-doctor: targets\[0\]\.password in /,
    kind: 'secretFile',
  },
];

async function refused(args: string[], field: RegExp, why: RegExp) {
  const run = await runCli(args, { env: { M365_T_SECRET: 'x' }, cwd: tmp });
  const lines = run.stderr.split('\n').filter(Boolean);
  expect(run.code, run.stderr).toBe(2);
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(field);
  expect(lines[0]).toMatch(why);
  expect(run.stderr).not.toMatch(STACK_LINE);
  // Refused at once: no read of an endless device, no wait for a FIFO writer.
  expect(run.ms).toBeLessThan(10_000);
  return run;
}

describe('a JSON syntax error names the line and column, never the text', () => {
  const broken = `{\n  "tenant": "contoso.onmicrosoft.com",\n  "password": ${CANARY}\n}\n`;
  for (const input of INPUTS.filter((i) => i.name !== '--ca-file' && i.name !== '{file} secret')) {
    it(input.name, async () => {
      const file = join(tmp, `broken-${input.kind}.json`);
      writeFileSync(file, broken);
      const run = await refused(
        input.args(file),
        input.field,
        /is not valid JSON: line 3, column 15: expected a value/,
      );
      for (const form of forbiddenForms(CANARY).concat(['Summer2026', 'assword":'])) {
        expect(run.stdout + run.stderr).not.toContain(form);
      }
    });
  }

  it('agrees with JSON.parse and points at the mistake', () => {
    const cases: [string, number, number, RegExp][] = [
      ['{"a": Secret}', 1, 7, /a value/],
      ['{"a": 1,}', 1, 9, /property name/],
      ['[1, 2', 1, 6, /"," or "\]"/],
      ['{"a" 1}', 1, 6, /":"/],
      ['{"a": "x\ty"}', 1, 9, /control character/],
      ['{"a": "\\q"}', 1, 9, /an escape/],
      ['{"a": 01}', 1, 8, /"," or "}"/],
      ['{}\n\n x', 3, 2, /the end of the file/],
      ['{"ü😀": tru}', 1, 8, /"true"/],
      ['', 1, 1, /a value/],
      ['"abc', 1, 5, /closing double quote/],
      ['-', 1, 2, /a digit/],
      ['1.', 1, 3, /decimal point/],
      ['1e+', 1, 4, /exponent/],
    ];
    for (const [text, line, column, expected] of cases) {
      expect(() => JSON.parse(text), text).toThrow();
      const p = jsonSyntaxProblem(text);
      expect(p, text).toMatchObject({ line, column });
      expect(p!.expected, text).toMatch(expected);
    }
    for (const ok of [
      '{}',
      '[]',
      ' {"a": [1, -2.5e+3, true, false, null, "\\u00e9\\n"]} ',
      '"x"',
      '0',
      '[[[[]]]]',
      '{"": {}}',
    ]) {
      expect(() => JSON.parse(ok)).not.toThrow();
      expect(jsonSyntaxProblem(ok), ok).toBeUndefined();
    }
    // Deep nesting is scanned without recursion.
    expect(jsonSyntaxProblem('['.repeat(200_000))).toMatchObject({ line: 1, column: 200_001 });
  });
});

describe('only regular files under their size limit are read', () => {
  const fifo = join(tmp, 'a.fifo');
  execFileSync('mkfifo', [fifo]);
  const folder = join(tmp, 'a-folder');
  mkdirSync(folder);

  for (const input of INPUTS) {
    it(`${input.name}: /dev/zero, a FIFO, a folder and a file over ${INPUT_LIMITS[input.kind]} bytes are refused`, async () => {
      await refused(input.args('/dev/zero'), input.field, /\/dev\/zero is a character device, not a regular file/);
      await refused(input.args(fifo), input.field, /a\.fifo is a pipe \(FIFO\), not a regular file/);
      await refused(input.args(folder), input.field, /a-folder is a folder, not a regular file/);
      // A sparse file: over the limit without writing the bytes.
      const big = join(tmp, `big-${input.kind}.json`);
      writeFileSync(big, '');
      truncateSync(big, INPUT_LIMITS[input.kind] + 1);
      await refused(input.args(big), input.field, /is larger than the \d+ [KM]iB limit for this file/);
    }, 60_000);
  }
});

describe('a config file holding a plain secret that others can read is warned about', () => {
  const config = (name: string, password: unknown, mode: number) => {
    const file = join(tmp, name);
    writeFileSync(file, JSON.stringify({ tenant: 'contoso.onmicrosoft.com', username: 'a@contoso.com', password }));
    chmodSync(file, mode);
    return file;
  };
  const warning =
    /^warning: --config (\S+) holds password as plain text and (everyone on this machine|its group) can read it \(mode (\d+)\); run chmod 600 /m;

  it.skipIf(process.platform === 'win32')(
    '0644 and 0640 warn (without the secret); 0600 and an { env } reference do not',
    async () => {
      for (const [name, password, mode, expected] of [
        ['open.json', CANARY, 0o644, ['open.json', 'everyone on this machine', '644']],
        ['group.json', CANARY, 0o640, ['group.json', 'its group', '640']],
        ['private.json', CANARY, 0o600, undefined],
        ['by-env.json', { env: 'M365_T_PW' }, 0o666, undefined],
      ] as const) {
        const run = await runCli(['check', '--config', config(name, password, mode), '--only', 'config'], {
          env: { M365_T_PW: 'x' },
          cwd: tmp,
        });
        expect(run.stdout + run.stderr).not.toContain(CANARY);
        const found = warning.exec(run.stderr);
        if (expected) expect(found?.slice(1), run.stderr).toEqual(expected);
        else expect(run.stderr, name).not.toMatch(/plain text/);
      }
      // The JSON report carries the warning too, for whoever reads the report later.
      const json = await runCli(
        ['check', '--config', config('open-json.json', CANARY, 0o644), '--only', 'config', '--format', 'json'],
        { cwd: tmp },
      );
      expect(
        (JSON.parse(json.stdout) as { environment: { warnings?: string[] } }).environment.warnings?.join(' '),
      ).toMatch(/open-json\.json holds password as plain text/);
      expect(json.stdout).not.toContain(CANARY);
      const token = await runCli(['token', '--config', config('open-token.json', CANARY, 0o604)], { cwd: tmp });
      expect(token.stderr).toMatch(warning);
      expect(token.stdout + token.stderr).not.toContain(CANARY);
    },
  );
});

describe('found by the generated inputs', () => {
  it('an unknown key that is blank, spaced or holds controls is named by its JSON spelling (config and targets files)', async () => {
    const { fileLayer } = await import('../../src/config/file.js');
    const { loadTargetsFile } = await import('../../src/fleet/targets-file.js');
    for (const key of [' `d', '', 'a\nb', '\u001b[2J']) {
      const file = join(tmp, 'odd-key.json');
      writeFileSync(file, JSON.stringify({ tenant: 'contoso.onmicrosoft.com', [key]: 1 }));
      expect(() => fileLayer(file, {})).toThrow(`${JSON.stringify(key)} in odd-key.json: is not a known setting`);
      writeFileSync(file, JSON.stringify({ targets: [{ tenant: 'contoso.onmicrosoft.com', [key]: 1 }] }));
      expect(() => loadTargetsFile(file, {})).toThrow(
        `targets[0].${JSON.stringify(key)} in odd-key.json: is not a known setting`,
      );
    }
  });

  it('merge refuses a fleet report whose dates or counts are not what the schema says (was: internal error "Invalid time value")', async () => {
    const file = join(tmp, 'bad-fleet.json');
    const targets = join(tmp, 'fleet-targets.json');
    writeOneTarget(targets);
    const fleet = await runCli(['check', '--targets', targets, '--only', 'config', '--format', 'json'], {
      env: { M365_T_SECRET: 'x' },
    });
    writeFileSync(file, JSON.stringify({ ...JSON.parse(fleet.stdout), startedAt: 'yesterday' }));
    const run = await refused(
      ['merge', file],
      /^m365-doctor: bad-fleet\.json: is not an m365-doctor fleet report: /,
      /startedAt must match format "date-time"/,
    );
    expect(run.stderr).not.toMatch(/internal error|Invalid time value/);
  });
});
