// Start order of checks that become ready together: the ones other checks start after go first, and the rest one
// event-loop turn later, so their CPU work does not delay the request the run waits on. And the connections
// prepare() opens reach the wire before the first check's work.
import { describe, expect, it } from 'vitest';
import { defineCheck, type Check } from '../../src/core/check.js';
import { runChecks } from '../../src/runner/run.js';
import { engineOptions, testCheck } from '../helpers/engine-fixtures.js';

/** A check that marks its start, then (after two microtask hops, like a request being built) its send; answered 10 ms later. */
function sending(id: string, trace: string[], dependsOn: string[] = []): Check {
  const base = testCheck({ id, dependsOn, delayMs: 10 });
  return defineCheck({
    meta: base.meta,
    async run(ctx) {
      trace.push(`start:${id}`);
      await Promise.resolve();
      await Promise.resolve();
      trace.push(`sent:${id}`);
      return base.run(ctx);
    },
  });
}

describe('start order', () => {
  it('starts a check others wait for before the ready checks nothing waits for, which start a turn later', async () => {
    const trace: string[] = [];
    const checks = [
      testCheck({ id: 'discovery' }),
      // Catalog order puts the leaves first: the order comes from the graph, not the list.
      sending('policy', trace, ['discovery']),
      sending('license', trace, ['discovery']),
      sending('token', trace, ['discovery']),
      sending('login', trace, ['token']),
    ];
    const { results } = await runChecks(engineOptions(checks));
    expect(results.every((r) => r.status === 'pass')).toBe(true);
    // The token's request is out before either leaf has started; then the leaves, in catalog order.
    expect(trace.slice(0, 2)).toEqual(['start:token', 'sent:token']);
    expect(trace.filter((t) => t.startsWith('start:')).slice(0, 3)).toEqual([
      'start:token',
      'start:policy',
      'start:license',
    ]);
  });

  it('starts ready checks together when none of them is waited for', async () => {
    const trace: string[] = [];
    const turn = defineCheck({
      meta: testCheck({ id: 'a' }).meta,
      run(ctx) {
        setImmediate(() => trace.push('next turn'));
        trace.push('start:a');
        return testCheck({ id: 'a', delayMs: 10 }).run(ctx);
      },
    });
    await runChecks(engineOptions([turn, sending('b', trace), sending('c', trace)]));
    expect(trace.indexOf('start:c')).toBeLessThan(trace.indexOf('next turn'));
  });

  it('lets work prepare() deferred to the next tick (as net.connect does) run before the first check starts', async () => {
    const trace: string[] = [];
    const base = testCheck({ id: 'first' }, trace);
    const check = defineCheck({
      meta: base.meta,
      run: base.run,
      prepare() {
        process.nextTick(() => trace.push('connect'));
      },
    });
    // Started from inside a promise chain, as the CLI does: ticks queued there would otherwise wait.
    await Promise.resolve().then(() => runChecks(engineOptions([check])));
    expect(trace[0]).toBe('connect');
  });
});
