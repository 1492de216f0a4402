// Generated hostile inputs for every file and argument list the CLI reads: config, scenario and targets files,
// saved single and fleet reports (report, fix --from, merge), argument lists. fast-check generates them from a
// fixed seed: random types, huge strings, unicode, NUL, lone surrogates, deep nesting, prototype keys, broken
// JSON and bytes that are not UTF-8. Each case must end with exit 0-3, no stack trace, no internal error, within
// its bound, and an exit 2 says one line naming the field. Most cases run in-process through runCommandLine
// (the CLI without main()'s process set-up); a sample runs as the built CLI, killed if it hangs.
//   npm test:           M365_DOCTOR_FUZZ_RUNS unset -> 400 in-process, 30 spawned
//   npm run test:fuzz:  M365_DOCTOR_FUZZ_RUNS=5000  -> 5,000 in-process, 150 spawned
// Replay another seed with M365_DOCTOR_FUZZ_SEED=N.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { jsonSyntaxProblem } from '../../../src/config/json-syntax.js';
import { healthyTenant } from '../../../src/emulator/tenant.js';
import { BIN, runCli } from '../../helpers/cli.js';
import { validConfig } from './fuzz-inputs.js';
import { inPool } from './pool.js';
import { captureStdio } from './capture-stdio.js';

const SEED = Number(process.env.M365_DOCTOR_FUZZ_SEED ?? 20261202);
const RUNS = Number(process.env.M365_DOCTOR_FUZZ_RUNS ?? 400);
const SPAWNED = Math.max(30, Math.round(RUNS * 0.03));
/** A case in-process taking longer than this is a hang; a spawned one is killed at the spawned bound. */
const IN_PROCESS_BOUND_MS = 15_000;
const SPAWNED_BOUND_MS = 30_000;
const STACK_LINE = /^\s+at .+[(:]\d+:\d+\)?$/m;
const APP = '6f1d2c3b-4a59-4e8f-9a0b-1c2d3e4f5a6b';
const ENV = { M365_FUZZ_SET: 'from-the-environment', M365_FUZZ_PW: 'fuzz-password-value' };

const tmp = mkdtempSync(join(tmpdir(), 'm365-doctor-fuzz-files-'));
writeFileSync(join(tmp, 'pw.txt'), 'fuzz-password-from-file\n');

type Kind = 'config' | 'scenario' | 'targets' | 'report' | 'fix' | 'merge' | 'args';
const KINDS: Kind[] = ['config', 'scenario', 'targets', 'report', 'fix', 'merge', 'args'];

/** The valid document each kind starts from; saved reports come from real runs of the built CLI. */
const bases = {} as Record<Exclude<Kind, 'args'>, unknown>;

async function loadBases(): Promise<void> {
  const targets = {
    defaults: { tenant: 'contoso.onmicrosoft.com', clientId: APP, clientSecret: { env: 'M365_FUZZ_SET' } },
    targets: [
      { username: 'a@contoso.com', password: { env: 'M365_FUZZ_PW' } },
      { name: 'b', username: 'b@contoso.com', password: { file: 'pw.txt' } },
    ],
  };
  writeFileSync(join(tmp, 'targets.json'), JSON.stringify(targets));
  const saved = await runCli(['check', '--demo', '--format', 'json']);
  const fleet = await runCli(
    ['check', '--targets', join(tmp, 'targets.json'), '--only', 'config', '--format', 'json'],
    { env: ENV },
  );
  const scenario = healthyTenant();
  Object.assign(bases, {
    config: validConfig(),
    scenario,
    targets,
    report: JSON.parse(saved.stdout),
    fix: JSON.parse(saved.stdout),
    merge: JSON.parse(fleet.stdout),
  });
}

// ---- generators -----------------------------------------------------------------------------------------

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__'];
const hostileString = fc.oneof(
  { weight: 400, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 200, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  // Any code unit: lone surrogates, NUL, C0/C1 controls, bidi overrides.
  { weight: 200, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  {
    weight: 200,
    arbitrary: fc.constantFrom(
      '',
      '\u0000',
      '\u202eevil',
      '\u001b[2J',
      '\u009b31m',
      '\r\n',
      '\ud800',
      '{"env":"X"}',
      'device-code',
      'global',
      'pass',
      'fail',
      '-1',
      'NaN',
      '1e309',
      '../../etc/passwd',
      ...PROTO_KEYS,
    ),
  },
  // Huge strings, rarely (each costs its size in every copy, scrub and file): up to 1 MiB.
  {
    weight: 10,
    arbitrary: fc
      .tuple(fc.constantFrom('x', '😀', '\u0000', 'a.', '"'), fc.integer({ min: 1_000, max: 20_000 }))
      .map(([s, n]) => s.repeat(n)),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('x', '\u0000', '"'), fc.integer({ min: 100_000, max: 1_000_000 }))
      .map(([s, n]) => s.repeat(n)),
  },
);
const hostileKey = fc.oneof(
  fc.constantFrom(...PROTO_KEYS, '', 'id', 'status', 'name', 'tenant', 'checks', 'targets', 'env', 'file'),
  fc.string({ maxLength: 12 }),
);
const { value: hostileValue } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(1e308),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileKey, tie('value'), { maxKeys: 4 }),
  ),
}));

/** One change to the parsed document: at the node `path` picks, set, delete or add a key. */
const edit = fc.record({
  path: fc.array(fc.nat(), { maxLength: 6 }),
  op: fc.constantFrom('set', 'set', 'set', 'delete', 'add', 'type'),
  key: hostileKey,
  value: hostileValue,
});

/** A change to the text (or bytes) after serialising. */
const textEdit = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ t: 'none' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('insert' as const),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      s: fc.constantFrom('\u0000', '\ufeff', ',', '}', '"', '\\', '\n', '/*x*/', 'Summer2026Secret!', '\u2028'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('proto' as const),
      s: fc.constantFrom(...PROTO_KEYS.slice(0, 3)),
      v: hostileValue,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('deep' as const),
      n: fc.integer({ min: 100, max: 200_000 }),
      open: fc.constantFrom('[', '{"a":'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('bytes' as const),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      b: fc.constantFrom(0xff, 0xc3, 0x80, 0xed),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('bom' as const) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('whole' as const), v: hostileValue }) },
);

function applyEdit(doc: unknown, e: { path: number[]; op: string; key: string; value: unknown }): unknown {
  if (doc === null || typeof doc !== 'object') return e.value;
  let node = doc as Record<string, unknown>;
  for (const step of e.path) {
    const keys = Object.keys(node);
    if (!keys.length) break;
    const child = node[keys[step % keys.length]];
    if (child === null || typeof child !== 'object') {
      if (e.op !== 'add') {
        node[keys[step % keys.length]] = e.op === 'delete' ? undefined : e.value;
        return doc;
      }
      break;
    }
    node = child as Record<string, unknown>;
  }
  const keys = Object.keys(node);
  const key = keys.length ? keys[(e.path[e.path.length - 1] ?? 0) % keys.length] : e.key;
  if (e.op === 'delete') delete node[key];
  else if (e.op === 'add')
    Object.defineProperty(node, e.key, { value: e.value, enumerable: true, writable: true, configurable: true });
  else if (e.op === 'type') node[key] = Array.isArray(node[key]) ? String(node[key]) : [node[key]];
  else node[key] = e.value;
  return doc;
}

function applyTextEdit(text: string, t: Generated<typeof textEdit>): string | Buffer {
  const at = (f: number) => Math.floor(f * text.length);
  switch (t.t) {
    case 'truncate':
      return text.slice(0, at(t.at));
    case 'insert':
      return text.slice(0, at(t.at)) + t.s + text.slice(at(t.at));
    case 'proto':
      return text.replace('{', `{"${t.s}": ${JSON.stringify(t.v) ?? 'null'}, `);
    case 'deep':
      return t.open.repeat(t.n) + (t.open === '[' ? ']' : '}').repeat(t.n);
    case 'bytes': {
      const b = Buffer.from(text);
      return Buffer.concat([b.subarray(0, at(t.at)), Buffer.from([t.b]), b.subarray(at(t.at))]);
    }
    case 'bom':
      return `\ufeff${text}`;
    case 'whole':
      return JSON.stringify(t.v) ?? '';
    default:
      return text;
  }
}

/** Argument lists: flags of every offline command, with hostile values, in random order. */
const argPiece = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(
        '--tenant',
        '--client-id',
        '--username',
        '--activities',
        '--cloud',
        '--imap',
        '--timeout',
        '--format',
        '--fail-on',
        '--report',
        '--ca-file',
        '--config',
        '--scenario-file',
        '--targets',
        '--concurrency',
        '--shard',
        '--skip',
        '--admin',
        '--plugin',
        '--from',
        '--script',
        '--file',
      ),
      hostileString.map((s) => s.slice(0, 2000)),
    )
    .map(([f, v]) => [f, v]),
  fc.constantFrom(
    ['--quiet'],
    ['--verbose'],
    ['--no-such-flag'],
    ['--'],
    ['-x'],
    ['--password'],
    ['--password', 'a', '--password', 'b'],
    ['--password-stdin'],
    ['--report', 'json'],
    ['--format=pdf'],
    ['--timeout=-1'],
  ),
  hostileString.map((s) => [s.slice(0, 200)]),
);
const argList = fc
  .tuple(
    fc.constantFrom('check', 'checks', 'explain', 'report', 'merge', 'fix', 'init', 'completion', 'nonsense', ''),
    fc.array(argPiece, { maxLength: 6 }),
  )
  .map(([command, pieces]) => [command, ...pieces.flat()]);

const caseArb = fc.record({
  kind: fc.constantFrom(...KINDS),
  edits: fc.array(edit, { minLength: 1, maxLength: 3 }),
  text: textEdit,
  args: argList,
  pretty: fc.boolean(),
});
type Case = { n: number; kind: Kind; args: string[]; file?: string | Buffer };
type Generated<A> = A extends fc.Arbitrary<infer T> ? T : never;

/** Every run is offline: --only config for check and fix, init only into the temporary folder, no token or emulator command. */
function offline(args: string[]): string[] {
  const [command, ...rest] = args;
  const safe = rest.map((a) => (/^--(demo|scenario|send-test-mail|only)\b/.test(a) ? '--quiet' : a));
  if (command === 'check' || command === 'fix')
    return [command, ...safe, '--only', 'config', ...(command === 'fix' ? ['--script', 'powershell'] : [])];
  if (command === 'init')
    return [
      command,
      ...safe.filter((a) => a !== '--file' && a !== '--force'),
      '--yes',
      '--file',
      join(tmp, 'init-out.json'),
    ];
  return [command, ...safe];
}

function materialise(c: Generated<typeof caseArb>, n: number): Case {
  if (c.kind === 'args') return { n, kind: 'args', args: offline(c.args) };
  let doc: unknown = structuredClone(bases[c.kind as Exclude<Kind, 'args'>]);
  for (const e of c.edits) doc = applyEdit(doc, e);
  const file = applyTextEdit(JSON.stringify(doc, null, c.pretty ? 2 : 0) ?? '', c.text);
  const path = join(tmp, `${c.kind}-${n}.json`);
  const args: Record<Exclude<Kind, 'args'>, string[]> = {
    config: ['check', '--config', path, '--only', 'config'],
    scenario: ['check', '--scenario-file', path, '--only', 'config', '--quiet'],
    targets: ['check', '--targets', path, '--only', 'config', '--quiet'],
    report: ['report', path, '--format', ['table', 'json', 'markdown', 'html', 'junit'][n % 5]],
    fix: ['fix', '--script', 'powershell', '--from', path],
    merge: ['merge', path, ...(n % 3 === 0 ? [path] : []), '--format', ['table', 'json', 'junit', 'markdown'][n % 4]],
  };
  return { n, kind: c.kind, args: args[c.kind as Exclude<Kind, 'args'>], file };
}

// ---- running and judging --------------------------------------------------------------------------------

interface Ending {
  code: number | 'hang' | 'crash';
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * The CLI's modules, loaded afresh every FRESH_EVERY cases: the process redactor keeps every secret a case
 * registers, and thousands of them would make each later case slower than the one before.
 */
const FRESH_EVERY = 400;
let cli: typeof import('../../../src/cli/main.js') | undefined;
let casesOnCli = 0;
async function commandLine() {
  if (!cli || casesOnCli++ >= FRESH_EVERY) {
    vi.resetModules();
    cli = await import('../../../src/cli/main.js');
    casesOnCli = 1;
  }
  return cli.runCommandLine;
}

async function runInProcess(c: Case): Promise<Ending> {
  const runCommandLine = await commandLine();
  if (c.file !== undefined) writeFileSync(join(tmp, `${c.kind}-${c.n}.json`), c.file);
  const capture = captureStdio();
  const { out } = capture;
  const envBefore = { ...process.env };
  Object.assign(process.env, ENV);
  process.exitCode = undefined;
  const started = performance.now();
  let code: Ending['code'];
  try {
    let timer: NodeJS.Timeout | undefined;
    const hang = new Promise<'hang'>((resolve) => {
      timer = setTimeout(() => resolve('hang'), IN_PROCESS_BOUND_MS);
    });
    const ended = await Promise.race([
      runCommandLine(c.args, { exitProcess: false }).then(() => 'done' as const),
      hang,
    ]);
    clearTimeout(timer);
    code = ended === 'hang' ? 'hang' : Number(process.exitCode ?? 0);
  } catch (err) {
    code = 'crash';
    out.stderr += `\nTHROWN: ${err instanceof Error ? err.stack : String(err)}`;
  } finally {
    capture.restore();
    process.exitCode = undefined;
    for (const k of Object.keys(process.env)) if (!(k in envBefore)) delete process.env[k];
    Object.assign(process.env, envBefore);
  }
  return { code, ...out, ms: Math.round(performance.now() - started) };
}

function runSpawned(c: Case): Promise<Ending> {
  if (c.file !== undefined) writeFileSync(join(tmp, `${c.kind}-${c.n}.json`), c.file);
  // A process takes no NUL in its arguments, and at most 128 KiB per argument.
  const args = c.args.map((a) => a.replace(/\0/g, '').slice(0, 64 * 1024));
  return new Promise((resolve) => {
    const started = performance.now();
    const env: Record<string, string> = { ...ENV };
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('M365_DOCTOR_')) env[k] = v;
    const child = spawn(process.execPath, [BIN, ...args], { cwd: tmp, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, SPAWNED_BOUND_MS);
    child.stdout.on('data', (d) => {
      if (stdout.length < 1e6) stdout += d;
    });
    child.stderr.on('data', (d) => {
      if (stderr.length < 1e6) stderr += d;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code: hung ? 'hang' : (code ?? 'crash'),
        stdout,
        stderr: signal && !hung ? `${stderr}\nSIGNAL ${signal}` : stderr,
        ms: Math.round(performance.now() - started),
      });
    });
  });
}

/** yargs' own usage messages name the argument in their own words ("Arguments targets and client-id are mutually exclusive"). */
const YARGS_USAGE =
  /^m365-doctor: (Unknown arguments?|Unknown command|Not enough (non-option )?arguments|Missing required arguments?|Invalid values|Arguments \S+ and \S+ are mutually exclusive|Missing dependent arguments|Name a command)/;

/** What is wrong with an ending, if anything. */
function problems(c: Case, e: Ending): string[] {
  const p: string[] = [];
  if (e.code === 'hang') p.push('hang');
  else if (e.code === 'crash' || ![0, 1, 2, 3].includes(e.code)) p.push(`exit ${e.code}`);
  if (STACK_LINE.test(e.stderr) || STACK_LINE.test(e.stdout)) p.push('stack trace');
  if (/internal error|THROWN|SIGNAL/.test(e.stderr)) p.push('crash');
  if (e.code === 2 || e.code === 3) {
    const lines = e.stderr
      .split('\n')
      .filter((l) => l && !/^warning: /.test(l) && !/^Run "m365-doctor --help"/.test(l));
    if (lines.length !== 1) p.push(`${lines.length} error lines`);
    else if (!/^m365-doctor: \S.*?: /.test(lines[0]) && !YARGS_USAGE.test(lines[0]))
      p.push('error line names no field');
  }
  return p.length
    ? [
        `case ${c.n} (${c.kind}) ${JSON.stringify(c.args).slice(0, 200)}: ${p.join(', ')}; stderr ${JSON.stringify(e.stderr.slice(0, 500))}`,
      ]
    : [];
}

const tally = (endings: Ending[]) =>
  endings.reduce<Record<string, number>>((t, e) => ({ ...t, [e.code]: (t[e.code] ?? 0) + 1 }), {});

/**
 * The suite, split so that vitest runs the parts in parallel workers (each with its own process redactor,
 * as do the built-CLI runs): `part` K of `parts` runs every parts-th in-process case (0: none); part 1 also
 * checks the JSON syntax scanner, and `spawned` runs the built-CLI sample.
 */
export function fuzzSuite(options: { part: number; parts: number; spawned: boolean }): void {
  const { part, parts } = options;
  beforeAll(loadBases, 60_000);
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const mine = Math.ceil((RUNS - (part - 1)) / parts);
  describe(`generated inputs (seed ${SEED}, ${RUNS} in-process in ${parts} parts, ${SPAWNED} spawned)`, () => {
    if (part > 0)
      it(`part ${part}/${parts}: ${mine} of ${RUNS} cases through the command line, in-process`, async () => {
        const cases = fc
          .sample(caseArb, { seed: SEED, numRuns: RUNS })
          .map(materialise)
          .filter((_, i) => i % parts === part - 1);
        const found: string[] = [];
        const endings: Ending[] = [];
        const started = performance.now();
        for (const c of cases) {
          const e = await runInProcess(c);
          endings.push(e);
          found.push(...problems(c, e));
        }
        const byKind = Object.fromEntries(
          KINDS.map((k) => {
            const of = endings.filter((_, i) => cases[i].kind === k);
            return [
              k,
              `${of.length} (mean ${Math.round(of.reduce((t, e) => t + e.ms, 0) / Math.max(1, of.length))} ms)`,
            ];
          }),
        );
        console.log(
          `fuzz files in-process part ${part}/${parts}: seed ${SEED}, ${endings.length} inputs ${JSON.stringify(byKind)}, exits ${JSON.stringify(tally(endings))}, ` +
            `crashes ${endings.filter((e) => e.code === 'crash' || /internal error|THROWN/.test(e.stderr)).length}, ` +
            `hangs ${endings.filter((e) => e.code === 'hang').length}, stack traces ${endings.filter((e) => STACK_LINE.test(e.stderr + e.stdout)).length}, ` +
            `problems ${found.length}, slowest ${Math.max(...endings.map((e) => e.ms))} ms, wall ${Math.round(performance.now() - started)} ms`,
        );
        expect(found.slice(0, 10)).toEqual([]);
      }, 600_000);

    if (options.spawned)
      it(`${SPAWNED} cases through the built CLI, each killed after ${SPAWNED_BOUND_MS / 1000} s`, async () => {
        const cases = fc
          .sample(caseArb, { seed: SEED ^ 0x5eed, numRuns: SPAWNED })
          .map((c, i) => materialise(c, 100_000 + i));
        const started = performance.now();
        const endings = await inPool(
          cases.map((c) => () => runSpawned(c)),
          3,
        );
        const found = cases.flatMap((c, i) => problems(c, endings[i]));
        console.log(
          `fuzz files spawned: seed ${SEED ^ 0x5eed}, ${endings.length} CLI runs, exits ${JSON.stringify(tally(endings))}, ` +
            `hangs ${endings.filter((e) => e.code === 'hang').length}, problems ${found.length}, wall ${Math.round(performance.now() - started)} ms`,
        );
        expect(found.slice(0, 10)).toEqual([]);
      }, 600_000);

    if (part === 1)
      it(`${RUNS * 2} generated texts: the JSON syntax scanner agrees with JSON.parse`, () => {
        const text = fc.oneof(
          fc.json(),
          fc.string({ unit: 'binary', maxLength: 30 }),
          fc
            .tuple(
              fc.json(),
              fc.nat(),
              fc.constantFrom('', ',', '}', ']', '"', ':', '\\', '\u0000', ' x', '-', '.', 'e'),
            )
            .map(([j, at, s]) => j.slice(0, at % (j.length + 1)) + s + j.slice(at % (j.length + 1))),
        );
        let invalid = 0;
        fc.assert(
          fc.property(text, (t) => {
            let valid = true;
            try {
              JSON.parse(t);
            } catch {
              valid = false;
              invalid++;
            }
            const p = jsonSyntaxProblem(t);
            return valid ? p === undefined : p !== undefined && p.line >= 1 && p.column >= 1;
          }),
          { seed: SEED, numRuns: RUNS * 2 },
        );
        console.log(`json syntax scanner: ${RUNS * 2} texts, ${invalid} invalid, all agreed with JSON.parse`);
      });
  });
}
