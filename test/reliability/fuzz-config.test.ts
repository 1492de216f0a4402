// Over a thousand hostile config files, argument lists and environments: each one ends with exit 0, 1 or 2
// and a one-line reason (for 2: naming the field), never a crash or a stack trace. Most run in-process through
// the check command itself; a sample runs as the built CLI, stdin secrets included.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yargs from 'yargs';
import { afterAll, describe, expect, it } from 'vitest';
import { runCheckCommand } from '../../src/cli/check-command.js';
import { checkCommand } from '../../src/cli/commands/check.js';
import { errorLine } from '../../src/cli/error-line.js';
import { ConfigError } from '../../src/core/errors.js';
import { Redactor } from '../../src/core/redact.js';
import { runCli } from '../helpers/cli.js';
import { Fuzz, mutateArgs, mutateConfigText, mutateEnv, rng, validVariant } from './helpers/fuzz-inputs.js';
import { inPool } from './helpers/pool.js';
import { captureStdio } from './helpers/capture-stdio.js';

const SEED = Number(process.env.M365_DOCTOR_FUZZ_SEED ?? 20261126);
const IN_PROCESS = 960;
const SPAWNED = 40;
/** Every run selects the config check only, so no input can make it reach a network. */
const OFFLINE = ['--only', 'config'];
const STACK_LINE = /^\s+at .+[(:]\d+:\d+\)?$/m;

const tmp = mkdtempSync(join(tmpdir(), 'm365-doctor-fuzz-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const emptyFile = join(tmp, 'empty.pem');
writeFileSync(emptyFile, '');
const aDirectory = join(tmp, 'dir');
mkdirSync(aDirectory);
const PATHS = [
  emptyFile,
  aDirectory,
  join(tmp, 'missing.json'),
  join(tmp, 'no', 'such', 'dir', 'x.pem'),
  'relative/missing.pem',
  `${tmp}/${'n'.repeat(300)}.pem`,
  `${tmp}/ü ñ 😀.pem`,
  `${tmp}/new\nline.pem`,
];

interface Case {
  n: number;
  args: string[];
  env: Record<string, string>;
  config: string;
}
interface Ending {
  code: number | 'crash';
  reason: string;
  stderr: string;
  stdout: string;
  ms: number;
}

function makeCase(f: Fuzz, n: number): Case {
  const configPath = join(tmp, `config-${n}.json`);
  if (f.chance(0.2)) {
    const valid = validVariant(f);
    return {
      n,
      args: [...valid.args, '--config', configPath],
      env: { M365_FUZZ_SET: 'from-the-environment' },
      config: valid.config,
    };
  }
  const config = mutateConfigText(f);
  const args = mutateArgs(f, { configPath, tmp, paths: PATHS });
  // Most cases read the mutated file; the rest leave it to flags and the environment.
  if (f.chance(0.7) && !args.some((a) => a.startsWith('--config'))) args.push('--config', configPath);
  return { n, args, env: mutateEnv(f), config };
}

class UsageError extends Error {}

/** The check command as main() runs it, with stdout/stderr captured and errors mapped to exit codes as main() maps them. */
async function runInProcess(c: Case): Promise<Ending> {
  writeFileSync(join(tmp, `config-${c.n}.json`), c.config);
  const capture = captureStdio();
  const { out } = capture;
  const started = performance.now();
  let code: number | 'crash' = 'crash';
  let reason: string;
  try {
    await yargs(['check', ...c.args, ...OFFLINE])
      .command({
        ...checkCommand,
        handler: async (a) => {
          code = await runCheckCommand(a, new Redactor(), c.env);
        },
      })
      .strict()
      .exitProcess(false)
      .help(false)
      .version(false)
      // As main() does: yargs' YError (it wraps what a coerce, e.g. the one-value rule of the secret flags, threw) is a usage error.
      .fail((msg, err) => {
        if (err && err.name !== 'YError') throw err;
        throw new UsageError(msg ?? err?.message ?? 'invalid command line');
      })
      .parseAsync();
    // Set by the handler (a closure TypeScript does not follow); still 'crash' if yargs never ran it.
    const ended = code as number | 'crash';
    reason = ended === 0 ? 'nothing failed' : ended === 1 ? 'a check failed' : `handler did not run (${ended})`;
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigError) {
      code = 2;
      reason = `m365-doctor: ${errorLine(err.message)}`;
      if (err instanceof ConfigError) out.stderr += `${reason}\n`;
    } else {
      reason = `crash: ${err instanceof Error ? err.stack : String(err)}`;
    }
  } finally {
    capture.restore();
  }
  return { code, reason, ...out, ms: Math.round(performance.now() - started) };
}

/** What every ending must look like; returns the problems found. */
function problems(c: Case, e: Ending): string[] {
  const p: string[] = [];
  if (e.code === 'crash' || ![0, 1, 2].includes(e.code)) p.push(`exit ${e.code}`);
  if (STACK_LINE.test(e.stderr) || STACK_LINE.test(e.reason)) p.push('stack trace');
  if (/internal error/.test(e.stderr)) p.push('internal error');
  if (e.code === 2) {
    const first = e.reason.split('\n')[0];
    if (e.reason.includes('\n')) p.push('reason spans several lines');
    if (!/^m365-doctor: .*\S.*: /.test(first)) p.push('reason names no field');
  }
  if ((e.code === 0 || e.code === 1) && !e.stdout.trim()) p.push('no report on stdout');
  if (e.ms > 10_000) p.push(`took ${e.ms} ms`);
  return p.length
    ? [
        `case ${c.n} ${JSON.stringify(c.args).slice(0, 300)} config ${JSON.stringify(c.config.slice(0, 200))}: ${p.join(', ')}; ` +
          `${JSON.stringify(e.reason.slice(0, 300))}; stderr ${JSON.stringify(e.stderr.slice(0, 600))}`,
      ]
    : [];
}

const tally = (endings: Ending[]) => {
  const by: Record<string, number> = {};
  for (const e of endings) by[String(e.code)] = (by[String(e.code)] ?? 0) + 1;
  return by;
};

describe(`fuzzed inputs (seed ${SEED}; set M365_DOCTOR_FUZZ_SEED to replay another)`, () => {
  it(`${IN_PROCESS} mutated config files, argument lists and environments through the check command, in-process`, async () => {
    const f = new Fuzz(rng(SEED));
    const found: string[] = [];
    const endings: Ending[] = [];
    const started = performance.now();
    for (let n = 0; n < IN_PROCESS; n++) {
      const c = makeCase(f, n);
      const e = await runInProcess(c);
      endings.push(e);
      found.push(...problems(c, e));
    }
    const wall = Math.round(performance.now() - started);
    const slowest = Math.max(...endings.map((e) => e.ms));
    console.log(
      `fuzz in-process: seed ${SEED}, ${endings.length} inputs, exits ${JSON.stringify(tally(endings))}, ` +
        `crashes ${endings.filter((e) => e.code === 'crash').length}, problems ${found.length}, slowest ${slowest} ms, wall ${wall} ms`,
    );
    expect(found.slice(0, 15)).toEqual([]);
  }, 240_000);

  it(`${SPAWNED} mutated inputs through the built CLI, stdin secrets included`, async () => {
    const f = new Fuzz(rng(SEED ^ 0x5eed));
    const cases = Array.from({ length: SPAWNED }, (_, i) => {
      const c = makeCase(f, 10_000 + i);
      const stdinFlags = ['--client-secret-stdin', '--password-stdin', '--admin-client-secret-stdin'].filter(() =>
        f.chance(0.3),
      );
      const input = f.chance(0.5) ? `${f.nastyString()}\n${f.nastyString()}\n` : f.pick(['', '\n', 'only-one-line']);
      return { c: { ...c, args: [...c.args, ...stdinFlags] }, input };
    });
    const started = performance.now();
    const endings = await inPool(
      cases.map(({ c, input }) => async (): Promise<Ending> => {
        writeFileSync(join(tmp, `config-${c.n}.json`), c.config);
        // A process takes no NUL in its arguments or environment, and at most 128 KiB per string.
        const spawnable = (s: string) => s.replace(/\0/g, '').slice(0, 64 * 1024);
        const env = Object.fromEntries(Object.entries(c.env).map(([k, v]) => [k, spawnable(v)]));
        const run = await runCli(['check', ...c.args.map(spawnable), ...OFFLINE], { env, input, cwd: tmp });
        const code = run.code === null ? 'crash' : run.code;
        const reason =
          code === 2 ? (run.stderr.split('\n').find((l) => l.startsWith('m365-doctor: ')) ?? run.stderr) : 'report';
        return { code, reason, stdout: run.stdout, stderr: run.stderr, ms: Math.round(run.ms) };
      }),
      4,
    );
    const found = cases.flatMap(({ c }, i) => problems(c, endings[i]));
    console.log(
      `fuzz spawned: seed ${SEED ^ 0x5eed}, ${endings.length} CLI runs, exits ${JSON.stringify(tally(endings))}, ` +
        `problems ${found.length}, wall ${Math.round(performance.now() - started)} ms`,
    );
    expect(found.slice(0, 15)).toEqual([]);
  }, 240_000);
});
