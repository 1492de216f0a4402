// Consults: a check reads another's result through settled() without waiting for it to start.
import { describe, expect, it } from 'vitest';
import { defineCheck, type Check, type CheckContext } from '../../src/core/check.js';
import { ConfigError } from '../../src/core/errors.js';
import { planRun, predecessors, waitEdges } from '../../src/runner/plan.js';
import { criticalPathMs } from '../../src/runner/report.js';
import { runChecks } from '../../src/runner/run.js';
import { engineOptions, sleep, testCheck, testConfig } from '../helpers/engine-fixtures.js';

const byId = <T extends { id: string }>(results: T[]) => Object.fromEntries(results.map((r) => [r.id, r]));

/** A check that consults others and whose run() is any async script; marks go into trace. */
function consulting(
  id: string,
  consults: string[],
  script: (ctx: CheckContext) => Promise<void>,
  trace: string[] = [],
  extra: { dependsOn?: string[]; after?: string[] } = {},
): Check {
  return defineCheck({
    meta: {
      id,
      title: `Test ${id}`,
      category: 'exchange',
      dependsOn: extra.dependsOn ?? [],
      after: extra.after,
      consults,
      description: 'A check used by the consults tests.',
      codes: { OK: { message: 'ok' } },
    },
    async run(ctx) {
      trace.push(`start:${id}`);
      await script(ctx);
      trace.push(`end:${id}`);
      return { status: 'pass', code: 'OK' };
    },
  });
}

/** testCheck with consults added (the shared fixture has no consults field). */
const withConsults = (check: Check, consults: string[]): Check => ({ ...check, meta: { ...check.meta, consults } });

describe('consults', () => {
  it('start a consulting check before the consulted one finishes, and settled() gives its final result', async () => {
    const trace: string[] = [];
    let got: string | undefined;
    let early: unknown = 'unset';
    let late: string | undefined;
    const checks = [
      consulting(
        'reader',
        ['probe'],
        async (ctx) => {
          early = ctx.upstream('probe');
          got = (await ctx.settled('probe'))?.code;
          late = ctx.upstream('probe')?.code;
        },
        trace,
      ),
      testCheck({ id: 'probe', delayMs: 120, outcome: { status: 'fail', code: 'BAD', data: { what: 'x' } } }, trace),
    ];
    const r = byId((await runChecks(engineOptions(checks))).results);
    expect(trace.indexOf('start:reader')).toBeLessThan(trace.indexOf('end:probe'));
    expect(trace.indexOf('end:probe')).toBeLessThan(trace.indexOf('end:reader'));
    expect(early).toBeUndefined(); // upstream() shows a consulted result only once it has settled
    expect(got).toBe('BAD');
    expect(late).toBe('BAD');
    expect(r.reader.status).toBe('pass'); // a consulted failure does not gate the consulting check
    expect(r.probe.status).toBe('fail');
  });

  it('settled() gives the result after accepted exceptions, as upstream() does', async () => {
    let seen: unknown;
    const checks = [
      consulting('reader', ['probe'], async (ctx) => {
        seen = await ctx.settled('probe');
      }),
      testCheck({ id: 'probe', delayMs: 30, outcome: { status: 'fail', code: 'BAD', data: { what: 'x' } } }),
    ];
    const config = testConfig({ exceptions: [{ id: 'probe', reason: 'ticket 7' }] });
    await runChecks(engineOptions(checks, { config, today: '2026-01-01' }));
    expect(seen).toMatchObject({ id: 'probe', status: 'skip', skipReason: 'accepted-exception', code: 'BAD' });
  });

  it('settled() of a dependency or after edge resolves at once with its result; of an unlisted check, undefined', async () => {
    const got: Record<string, string | undefined> = {};
    const checks = [
      testCheck({ id: 'dep' }),
      testCheck({ id: 'soft', outcome: { status: 'warn', code: 'MEH' } }),
      testCheck({ id: 'stranger', delayMs: 50 }),
      consulting(
        'reader',
        [],
        async (ctx) => {
          got.dep = (await ctx.settled('dep'))?.status;
          got.soft = (await ctx.settled('soft'))?.status;
          got.stranger = (await ctx.settled('stranger'))?.status;
          got.ghost = (await ctx.settled('ghost'))?.status;
        },
        [],
        { dependsOn: ['dep'], after: ['soft'] },
      ),
    ];
    const r = byId((await runChecks(engineOptions(checks))).results);
    expect(got).toEqual({ dep: 'pass', soft: 'warn', stranger: undefined, ghost: undefined });
    expect(r.reader.durationMs).toBeLessThan(40); // it did not wait for the unlisted 50 ms check
  });

  it('many checks may wait on one consulted check; each wakes with the same result', async () => {
    const seen: string[] = [];
    const readers = ['r1', 'r2', 'r3'].map((id) =>
      consulting(id, ['probe'], async (ctx) => {
        seen.push(`${id}:${(await ctx.settled('probe'))?.status}`);
      }),
    );
    await runChecks(engineOptions([...readers, testCheck({ id: 'probe', delayMs: 40 })]));
    expect(seen.sort()).toEqual(['r1:pass', 'r2:pass', 'r3:pass']);
  });

  it("time spent waiting in settled() does not count toward the consulting check's limit", async () => {
    // probe starts at ~120 ms (after gate) and takes 150 ms: within its own 200 ms limit.
    // reader works 60 ms, waits ~210 ms for probe, works 60 ms more: 330 ms of wall time, 120 ms of its own.
    const checks = [
      testCheck({ id: 'gate', delayMs: 120 }),
      testCheck({ id: 'probe', after: ['gate'], delayMs: 150 }),
      consulting('reader', ['probe'], async (ctx) => {
        await sleep(60, ctx.signal);
        await ctx.settled('probe');
        await sleep(60, ctx.signal);
      }),
    ];
    const r = byId((await runChecks(engineOptions(checks, { timeoutMs: 200 }))).results);
    expect(r.probe.status).toBe('pass');
    expect(r.reader.status).toBe('pass');
    expect(r.reader.durationMs).toBeGreaterThanOrEqual(280); // its wall time, wait included
  });

  it('the clock resumes after the wait: own work beyond the limit still times out', async () => {
    const checks = [
      testCheck({ id: 'probe', delayMs: 100 }),
      consulting('reader', ['probe'], async (ctx) => {
        await sleep(100, ctx.signal);
        await ctx.settled('probe');
        await sleep(150, ctx.signal); // 250 ms of its own work against a 200 ms limit
      }),
    ];
    const r = byId((await runChecks(engineOptions(checks, { timeoutMs: 200 }))).results);
    expect(r.reader).toMatchObject({ status: 'error', code: 'TIMEOUT', message: 'timed out after 200 ms' });
  });

  it('a consulted check that times out settles as a TIMEOUT error, which the waiting check receives', async () => {
    let got: string | undefined;
    const checks = [
      testCheck({ id: 'hang', delayMs: 10_000 }),
      consulting('reader', ['hang'], async (ctx) => {
        got = (await ctx.settled('hang'))?.code;
      }),
    ];
    const started = performance.now();
    const r = byId((await runChecks(engineOptions(checks, { timeoutMs: 150 }))).results);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(got).toBe('TIMEOUT');
    expect(r.reader.status).toBe('pass');
  });

  it('Ctrl-C (the run signal) ends a check waiting in settled()', async () => {
    const interrupt = new AbortController();
    setTimeout(() => interrupt.abort(), 100);
    let resumed = false;
    const checks = [
      testCheck({ id: 'long', delayMs: 5000 }),
      consulting('reader', ['long'], async (ctx) => {
        await ctx.settled('long');
        resumed = true;
      }),
    ];
    const started = performance.now();
    const r = byId((await runChecks(engineOptions(checks, { signal: interrupt.signal }))).results);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(r.long).toMatchObject({ status: 'error', code: 'INTERRUPTED' });
    expect(r.reader).toMatchObject({ status: 'error', code: 'INTERRUPTED', message: 'interrupted before it finished' });
    await sleep(20);
    expect(resumed).toBe(false); // settled() rejected with the abort: the check's code did not go on
  });

  it('--only does not pull in consulted checks: settled() gives undefined at once', async () => {
    const trace: string[] = [];
    let got: unknown = 'unset';
    const checks = [
      testCheck({ id: 'probe', delayMs: 300 }, trace),
      consulting(
        'reader',
        ['probe'],
        async (ctx) => {
          got = await ctx.settled('probe');
        },
        trace,
      ),
    ];
    const { results, pulledIn } = await runChecks(engineOptions(checks, { only: ['reader'] }));
    const r = byId(results);
    expect(pulledIn).toEqual([]);
    expect(got).toBeUndefined();
    expect(trace).not.toContain('start:probe');
    expect(r.probe).toMatchObject({ status: 'skip', skipReason: 'not-selected' });
    expect(r.reader.durationMs).toBeLessThan(100);
  });

  it('--skip of a consulted check gives undefined too', async () => {
    let got: unknown = 'unset';
    const checks = [
      testCheck({ id: 'probe' }),
      consulting('reader', ['probe'], async (ctx) => {
        got = await ctx.settled('probe');
      }),
    ];
    await runChecks(engineOptions(checks, { skip: ['probe'] }));
    expect(got).toBeUndefined();
  });

  it('a consulted check skipped for a failed dependency settles as that skip', async () => {
    let got: unknown;
    const checks = [
      testCheck({ id: 'root', delayMs: 30, outcome: { status: 'fail', code: 'BAD', data: { what: 'x' } } }),
      testCheck({ id: 'probe', dependsOn: ['root'] }),
      consulting('reader', ['probe'], async (ctx) => {
        got = await ctx.settled('probe');
      }),
    ];
    await runChecks(engineOptions(checks));
    expect(got).toMatchObject({ status: 'skip', skipReason: 'dependency-failed' });
  });
});

describe('consults in the plan', () => {
  it('reject a cycle through consults at plan time, naming the path', async () => {
    const mutual = [withConsults(testCheck({ id: 'a' }), ['b']), withConsults(testCheck({ id: 'b' }), ['a'])];
    await expect(runChecks(engineOptions(mutual))).rejects.toThrow(/dependency cycle \(a -> b -> a\)/);
    const mixed = [
      withConsults(testCheck({ id: 'a' }), ['b']),
      testCheck({ id: 'b', after: ['c'] }),
      testCheck({ id: 'c', dependsOn: ['a'] }),
    ];
    await expect(runChecks(engineOptions(mixed))).rejects.toBeInstanceOf(ConfigError);
    await expect(runChecks(engineOptions(mixed))).rejects.toThrow(/dependency cycle \(a -> b -> c -> a\)/);
    expect(() => planRun([withConsults(testCheck({ id: 'a' }), ['a'])])).toThrow(/dependency cycle \(a -> a\)/);
  });

  it('reject an unknown consulted id', () => {
    expect(() => planRun([withConsults(testCheck({ id: 'a' }), ['ghost'])])).toThrow(ConfigError);
    expect(() => planRun([withConsults(testCheck({ id: 'a' }), ['ghost'])])).toThrow(/consults unknown check "ghost"/);
  });

  it('are wait edges but not ordering edges', () => {
    const reader = withConsults(testCheck({ id: 'reader', dependsOn: ['d'], after: ['s'] }), ['c']);
    expect(predecessors(reader)).toEqual(['d', 's']);
    expect(waitEdges(reader)).toEqual(['d', 's', 'c']);
    const plan = planRun([reader, testCheck({ id: 'd' }), testCheck({ id: 's' }), testCheck({ id: 'c' })]);
    expect(plan.order.map((c) => c.meta.id)).toEqual(['d', 's', 'c', 'reader']);
  });

  it('do not lengthen the critical path, which counts dependsOn and after only', async () => {
    const checks = [
      testCheck({ id: 'probe', delayMs: 150 }),
      consulting('reader', ['probe'], async () => {
        await sleep(30);
      }),
    ];
    const { results } = await runChecks(engineOptions(checks));
    const r = byId(results);
    // reader ran alongside probe; with an ordering edge the path would be probe + reader.
    expect(criticalPathMs(results, {})).toBe(Math.max(r.probe.durationMs, r.reader.durationMs));
    expect(r.reader.durationMs).toBeLessThan(100);
  });
});
