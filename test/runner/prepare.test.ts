// prepare(): called once at run start for every check selected to run, before any run() and before dependencies
// settle, with config and clients only; whatever it does (even throwing) never changes a result.
import { describe, expect, it } from 'vitest';
import { defineCheck, type Check, type PrepareContext } from '../../src/core/check.js';
import { runChecks } from '../../src/runner/run.js';
import { engineOptions, testCheck } from '../helpers/engine-fixtures.js';

const byId = <T extends { id: string }>(results: T[]) => Object.fromEntries(results.map((r) => [r.id, r]));

/** testCheck with a prepare() that records its call (and context) in trace, then does `also`. */
function preparing(check: Check, trace: string[], seen: PrepareContext[] = [], also?: () => unknown): Check {
  return defineCheck({
    meta: check.meta,
    run: check.run,
    prepare(ctx) {
      trace.push(`prepare:${check.meta.id}`);
      seen.push(ctx);
      also?.();
    },
  });
}

describe('prepare', () => {
  it('runs for every check that will run, before the first run() and before any dependency settles', async () => {
    const trace: string[] = [];
    const seen: PrepareContext[] = [];
    const checks = [
      preparing(testCheck({ id: 'token', delayMs: 40 }, trace), trace, seen),
      preparing(testCheck({ id: 'login', dependsOn: ['token'] }, trace), trace, seen),
      preparing(testCheck({ id: 'other' }, trace), trace, seen),
    ];
    const opts = engineOptions(checks);
    const r = byId((await runChecks(opts)).results);
    const prepares = trace.filter((t) => t.startsWith('prepare:'));
    expect(prepares.sort()).toEqual(['prepare:login', 'prepare:other', 'prepare:token']);
    const firstStart = trace.findIndex((t) => t.startsWith('start:'));
    expect(trace.slice(0, firstStart).sort()).toEqual(prepares.sort());
    // config and clients of the run; no results, no signal (nothing has run yet).
    for (const ctx of seen) {
      expect(ctx.config).toBe(opts.config);
      expect(ctx.clients).toBe(opts.clients);
      expect(Object.keys(ctx).sort()).toEqual(['clients', 'config', 'log']);
    }
    expect([r.token.status, r.login.status, r.other.status]).toEqual(['pass', 'pass', 'pass']);
  });

  it('is not called for checks --only leaves out or --skip names, and is called for pulled-in dependencies', async () => {
    const trace: string[] = [];
    const make = () => [
      preparing(testCheck({ id: 'token' }), trace),
      preparing(testCheck({ id: 'login', dependsOn: ['token'] }), trace),
      preparing(testCheck({ id: 'other' }), trace),
    ];
    await runChecks(engineOptions(make(), { only: ['login'] }));
    expect(trace.sort()).toEqual(['prepare:login', 'prepare:token']);
    trace.length = 0;
    await runChecks(engineOptions(make(), { skip: ['other', 'login'] }));
    expect(trace).toEqual(['prepare:token']);
  });

  it('is called for a check whose dependency then fails (it is selected; the dependency had not settled)', async () => {
    const trace: string[] = [];
    const checks = [
      testCheck({ id: 'token', outcome: { status: 'fail', code: 'BAD', data: { what: 'x' } } }),
      preparing(testCheck({ id: 'login', dependsOn: ['token'] }, trace), trace),
    ];
    const r = byId((await runChecks(engineOptions(checks))).results);
    expect(trace).toEqual(['prepare:login']);
    expect(r.login).toMatchObject({ status: 'skip', skipReason: 'dependency-failed' });
  });

  it('a prepare that throws, or returns a rejected promise, changes no result', async () => {
    const trace: string[] = [];
    const plain = [testCheck({ id: 'a' }), testCheck({ id: 'b', dependsOn: ['a'] })];
    const rude = [
      preparing(plain[0], trace, [], () => {
        throw new Error('prepare blew up');
      }),
      // Declared async by mistake in a plugin: the rejection must be swallowed, not crash the run.
      {
        ...plain[1],
        prepare: (() => Promise.reject(new Error('async prepare blew up'))) as unknown as Check['prepare'],
      },
    ];
    const strip = (rs: { id: string; status: string; code?: string; message: string }[]) =>
      rs.map(({ id, status, code, message }) => ({ id, status, code, message }));
    const without = strip((await runChecks(engineOptions(plain))).results);
    const withRude = strip((await runChecks(engineOptions(rude))).results);
    expect(trace).toEqual(['prepare:a']);
    expect(withRude).toEqual(without);
  });

  it('defineCheck keeps prepare, and leaves it out when the check has none', () => {
    const prepare = () => {};
    const meta = testCheck({ id: 'x' }).meta;
    expect(defineCheck({ meta, run: testCheck({ id: 'x' }).run, prepare }).prepare).toBe(prepare);
    expect('prepare' in testCheck({ id: 'x' })).toBe(false);
  });
});
