// The runner: ordering, concurrency, timeouts, throws, skip propagation, selection and graph errors.
import { describe, expect, it } from 'vitest';
import { defineCheck } from '../../src/core/check.js';
import { NEEDS_DIRECTORY_READER, withDirectoryReader } from '../../src/diagnose/directory-reader.js';
import { ConfigError, EntraError, NetError, NoDirectoryReaderError } from '../../src/core/errors.js';
import { runChecks } from '../../src/runner/run.js';
import type { RunEvent } from '../../src/runner/events.js';
import { engineOptions, testCheck, testConfig, TEST_SECRETS } from '../helpers/engine-fixtures.js';

const byId = <R extends { id: string }>(results: R[]): Record<string, R> =>
  Object.fromEntries(results.map((r) => [r.id, r]));

describe('runChecks', () => {
  it('runs a dependency before its dependant and hands its result over', async () => {
    const trace: string[] = [];
    const seen: (string | undefined)[] = [];
    const checks = [
      testCheck(
        {
          id: 'b',
          dependsOn: ['a'],
          outcome: (ctx) => {
            seen.push(ctx.upstream('a')?.status);
            return {};
          },
        },
        trace,
      ),
      testCheck({ id: 'a', delayMs: 50 }, trace),
    ];
    const { results } = await runChecks(engineOptions(checks));
    expect(trace).toEqual(['start:a', 'end:a', 'start:b', 'end:b']);
    expect(seen).toEqual(['pass']);
    expect(results.map((r) => r.id)).toEqual(['b', 'a']); // catalog order, not finishing order
  });

  it('runs two independent 300 ms checks concurrently (about the time of one)', async () => {
    const checks = [testCheck({ id: 'slow-1', delayMs: 300 }), testCheck({ id: 'slow-2', delayMs: 300 })];
    const started = performance.now();
    const { results } = await runChecks(engineOptions(checks));
    const wall = performance.now() - started;
    expect(results.every((r) => r.status === 'pass')).toBe(true);
    expect(results.every((r) => r.durationMs >= 290)).toBe(true);
    expect(wall).toBeGreaterThanOrEqual(290);
    expect(wall).toBeLessThan(500); // serial would be >= 600
  });

  it('orders by soft `after` edges without gating on their status', async () => {
    const trace: string[] = [];
    let upstreamStatus: string | undefined;
    const checks = [
      testCheck(
        {
          id: 'reader',
          after: ['probe'],
          outcome: (ctx) => {
            upstreamStatus = ctx.upstream('probe')?.status;
            return {};
          },
        },
        trace,
      ),
      testCheck({ id: 'probe', delayMs: 30, outcome: { status: 'fail', code: 'BAD', data: { what: 'x' } } }, trace),
    ];
    const { results } = await runChecks(engineOptions(checks));
    expect(trace.indexOf('end:probe')).toBeLessThan(trace.indexOf('start:reader'));
    expect(byId(results).reader.status).toBe('pass');
    expect(upstreamStatus).toBe('fail');
  });

  it('upstream() only shows checks listed in dependsOn or after', async () => {
    let peek: unknown = 'unset';
    const checks = [
      testCheck({ id: 'x' }),
      testCheck({
        id: 'y',
        after: [],
        delayMs: 20,
        outcome: (ctx) => {
          peek = ctx.upstream('x');
          return {};
        },
      }),
    ];
    await runChecks(engineOptions(checks));
    expect(peek).toBeUndefined();
  });

  it('turns a timeout into error "timed out after N ms", even for a check that ignores its signal', async () => {
    const checks = [
      testCheck({ id: 'hang', delayMs: 10_000 }),
      testCheck({ id: 'stubborn', delayMs: 2000, ignoreSignal: true }),
    ];
    const started = performance.now();
    const { results } = await runChecks(engineOptions(checks, { timeoutMs: 150 }));
    expect(performance.now() - started).toBeLessThan(1000);
    for (const r of results) {
      expect(r.status).toBe('error');
      expect(r.message).toBe('timed out after 150 ms');
      expect(r.code).toBe('TIMEOUT');
      expect(r.durationMs).toBeGreaterThanOrEqual(140);
    }
  });

  it('reports checks cut short by the run signal (Ctrl-C) as interrupted errors', async () => {
    const interrupt = new AbortController();
    setTimeout(() => interrupt.abort(), 100);
    const checks = [
      testCheck({ id: 'long', delayMs: 5000 }),
      testCheck({ id: 'later', dependsOn: [], after: ['long'] }),
    ];
    const started = performance.now();
    const r = byId((await runChecks(engineOptions(checks, { signal: interrupt.signal }))).results);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(r.long).toMatchObject({ status: 'error', code: 'INTERRUPTED', message: 'interrupted before it finished' });
    expect(r.later).toMatchObject({ status: 'error', code: 'INTERRUPTED' });
  });

  it('turns a throw into error with its (redacted) message and keeps running the others', async () => {
    const checks = [
      testCheck({ id: 'boom', throws: new TypeError(`cannot read ${TEST_SECRETS.password}`) }),
      testCheck({
        id: 'net',
        throws: new NetError('CONNECTION_REFUSED', '127.0.0.1', 'connect', 'connection refused by 127.0.0.1:993'),
      }),
      testCheck({
        id: 'entra',
        throws: new EntraError({
          httpStatus: 400,
          error: 'invalid_grant',
          aadsts: 50126,
          errorCodes: [50126],
          description: 'AADSTS50126: bad password',
        }),
      }),
      testCheck({ id: 'fine' }),
    ];
    const r = byId((await runChecks(engineOptions(checks))).results);
    expect(r.boom.status).toBe('error');
    expect(r.boom.message).toBe('check crashed: TypeError: cannot read [REDACTED]');
    expect(r.net).toMatchObject({
      status: 'error',
      code: 'CONNECTION_REFUSED',
      message: 'connection refused by 127.0.0.1:993',
    });
    expect(r.net.evidence).toMatchObject({ host: '127.0.0.1', phase: 'connect' });
    expect(r.entra).toMatchObject({ status: 'error', code: 'AADSTS50126' });
    expect(r.entra.message).toContain('rejected the user name or password');
    expect(r.entra.remediation).toContain('mailbox@contoso.onmicrosoft.com');
    expect(r.fine.status).toBe('pass');
  });

  it('turns "no directory reader" into a skip in one place, in the check\'s words when it declares them', async () => {
    const reader = defineCheck({
      meta: {
        id: 'reader',
        title: 'Reads the directory',
        category: 'graph',
        dependsOn: [],
        description: 'd',
        codes: { OK: { message: 'ok' }, NEEDS_DIRECTORY_READER },
      },
      run: (ctx) => withDirectoryReader(ctx, async () => ({ status: 'pass', code: 'OK' })),
    });
    const checks = [reader, testCheck({ id: 'plain', throws: new NoDirectoryReaderError() })];
    const r = byId((await runChecks(engineOptions(checks))).results);
    expect(r.reader).toMatchObject({
      status: 'skip',
      skipReason: 'needs-directory-reader',
      code: 'NEEDS_DIRECTORY_READER',
      message: NEEDS_DIRECTORY_READER.message,
    });
    expect(r.reader.remediation).toContain('Application.Read.All, Policy.Read.All and Directory.Read.All');
    expect(r.plain).toMatchObject({
      status: 'skip',
      skipReason: 'needs-directory-reader',
      message: 'Not checked: reading the directory needs a directory reader (--admin).',
    });
    expect(r.plain.code ?? null).toBeNull();
  });

  it('reports an Entra refusal as fail only for a check that declares entraRefusal: fail', async () => {
    const refusal = () =>
      new EntraError({
        httpStatus: 400,
        error: 'invalid_grant',
        aadsts: 50126,
        errorCodes: [50126],
        description: 'AADSTS50126: bad password',
        traceId: 't-1',
      });
    const declaring = (id: string, err: EntraError) => {
      const c = testCheck({ id, throws: err });
      return { ...c, meta: { ...c.meta, entraRefusal: 'fail' as const } };
    };
    const checks = [
      declaring('signs-in', refusal()),
      declaring(
        'no-code',
        new EntraError({ httpStatus: 503, error: 'temporarily_unavailable', errorCodes: [], description: 'try later' }),
      ),
      testCheck({ id: 'undeclared', throws: refusal() }),
    ];
    const r = byId((await runChecks(engineOptions(checks))).results);
    expect(r['signs-in']).toMatchObject({ status: 'fail', code: 'AADSTS50126' });
    expect(r['signs-in'].message).toContain('rejected the user name or password');
    expect(r['signs-in'].evidence).toMatchObject({
      httpStatus: 400,
      error: 'invalid_grant',
      errorCodes: '50126',
      traceId: 't-1',
    });
    expect(r['no-code'].status).toBe('error');
    expect(r.undeclared).toMatchObject({ status: 'error', code: 'AADSTS50126' });
    // An error keeps the same evidence a refusal has: what support needs to find the sign-in in Entra's logs.
    expect(r.undeclared.evidence).toEqual(r['signs-in'].evidence);
    expect(r['no-code'].evidence).toMatchObject({ httpStatus: 503, error: 'temporarily_unavailable', errorCodes: '' });
  });

  it('skips every dependant of a non-passing check, transitively, naming the dependency', async () => {
    const trace: string[] = [];
    const checks = [
      testCheck({ id: 'root', outcome: { status: 'fail', code: 'BAD', data: { what: 'the root' } } }, trace),
      testCheck({ id: 'child', dependsOn: ['root'] }, trace),
      testCheck({ id: 'grandchild', dependsOn: ['child'] }, trace),
      testCheck({ id: 'warned', outcome: { status: 'warn', code: 'MEH' } }, trace),
      testCheck({ id: 'after-warn', dependsOn: ['warned'] }, trace),
      testCheck({ id: 'crash', throws: new Error('x') }, trace),
      testCheck({ id: 'after-crash', dependsOn: ['crash'] }, trace),
    ];
    const r = byId((await runChecks(engineOptions(checks))).results);
    expect(r.root).toMatchObject({
      status: 'fail',
      message: 'Broken: the root.',
      remediation: 'Fix the root in tenant contoso.onmicrosoft.com.',
    });
    expect(r.child).toMatchObject({
      status: 'skip',
      skipReason: 'dependency-failed',
      message: 'Skipped: depends on root, which failed.',
    });
    expect(r.grandchild).toMatchObject({
      status: 'skip',
      skipReason: 'dependency-failed',
      message: 'Skipped: depends on child, which was skipped.',
    });
    expect(r['after-warn'].status).toBe('pass');
    expect(r['after-crash'].message).toBe('Skipped: depends on crash, which could not be checked (error).');
    expect(trace).not.toContain('start:child');
    expect(trace).not.toContain('start:grandchild');
  });

  it('gates on hardDependencies(config) when a check declares them: the rest of dependsOn only orders', async () => {
    const trace: string[] = [];
    const token = testCheck(
      { id: 'token', outcome: { status: 'skip', code: 'OK', skipReason: 'not-applicable' } },
      trace,
    );
    const app = testCheck({ id: 'app' }, trace);
    const login = testCheck({ id: 'login', dependsOn: ['token', 'app'] }, trace);
    login.meta.hardDependencies = (config) => (config.profile === 'app-only' ? ['app'] : ['token']);
    const appOnly = byId(
      (await runChecks(engineOptions([token, app, login], { config: testConfig({ profile: 'app-only' }) }))).results,
    );
    expect(appOnly.login.status).toBe('pass');
    expect(trace.indexOf('start:login')).toBeGreaterThan(trace.indexOf('start:token'));
    const vendor = byId((await runChecks(engineOptions([token, app, login]))).results);
    expect(vendor.login).toMatchObject({
      status: 'skip',
      skipReason: 'dependency-failed',
      message: 'Skipped: depends on token, which was skipped.',
    });
  });

  it('renders messages from codes with placeholders from data and config', async () => {
    const checks = [
      testCheck({ id: 'ok' }),
      testCheck({ id: 'aad', outcome: { status: 'fail', code: 'AADSTS50076' } }),
      testCheck({ id: 'odd', outcome: { status: 'fail', code: 'NOT_DECLARED' as 'OK' } }),
    ];
    const r = byId((await runChecks(engineOptions(checks))).results);
    expect(r.ok.message).toBe('All good for mailbox@contoso.onmicrosoft.com.');
    expect(r.aad.message).toContain('AADSTS50076');
    expect(r.aad.remediation).toContain('mailbox@contoso.onmicrosoft.com');
    expect(r.odd).toMatchObject({ status: 'error', code: 'UNDECLARED_CODE' });
  });

  it('scrubs secrets out of messages and evidence', async () => {
    const checks = [
      testCheck({
        id: 'leaky',
        outcome: {
          status: 'fail',
          code: 'BAD',
          data: { what: TEST_SECRETS.clientSecret },
          evidence: { line: `AUTH ${TEST_SECRETS.password}`, list: [TEST_SECRETS.clientSecret], n: 3 },
        },
      }),
    ];
    const [r] = (await runChecks(engineOptions(checks))).results;
    const text = JSON.stringify(r);
    expect(text).not.toContain(TEST_SECRETS.clientSecret);
    expect(text).not.toContain(TEST_SECRETS.password);
    expect(r.evidence).toEqual({ line: 'AUTH [REDACTED]', list: ['[REDACTED]'], n: 3 });
  });

  it('--only runs exactly the named checks plus their dependsOn closure and reports the pulled-in ones', async () => {
    const trace: string[] = [];
    const checks = ['a', 'b', 'c', 'd'].map((id, i) =>
      testCheck({ id, dependsOn: i === 2 ? ['b'] : i === 1 ? ['a'] : [] }, trace),
    );
    const { results, pulledIn } = await runChecks(engineOptions(checks, { only: ['c'] }));
    const r = byId(results);
    expect(pulledIn).toEqual(['a', 'b']);
    expect(r.d).toMatchObject({ status: 'skip', skipReason: 'not-selected', message: 'Not selected (--only).' });
    expect(['a', 'b', 'c'].map((id) => r[id].status)).toEqual(['pass', 'pass', 'pass']);
    expect(trace).not.toContain('start:d');
  });

  it('--skip marks the check not-selected and its dependants dependency-failed', async () => {
    const checks = [testCheck({ id: 'a' }), testCheck({ id: 'b', dependsOn: ['a'] }), testCheck({ id: 'c' })];
    const r = byId((await runChecks(engineOptions(checks, { skip: ['a'] }))).results);
    expect(r.a).toMatchObject({ status: 'skip', skipReason: 'not-selected', message: 'Not selected (--skip).' });
    expect(r.b).toMatchObject({ status: 'skip', skipReason: 'dependency-failed' });
    expect(r.c.status).toBe('pass');
  });

  it('rejects cycles (naming the path), unknown dependencies, duplicate and unknown selected ids', async () => {
    const cyc = [
      testCheck({ id: 'a', dependsOn: ['c'] }),
      testCheck({ id: 'b', dependsOn: ['a'] }),
      testCheck({ id: 'c', after: ['b'] }),
    ];
    await expect(runChecks(engineOptions(cyc))).rejects.toThrow(/dependency cycle \(a -> c -> b -> a\)/);
    await expect(runChecks(engineOptions(cyc))).rejects.toBeInstanceOf(ConfigError);
    await expect(runChecks(engineOptions([testCheck({ id: 'a', dependsOn: ['ghost'] })]))).rejects.toThrow(
      /depends on unknown check "ghost"/,
    );
    await expect(runChecks(engineOptions([testCheck({ id: 'a' }), testCheck({ id: 'a' })]))).rejects.toThrow(
      /defined twice/,
    );
    await expect(runChecks(engineOptions([testCheck({ id: 'a' })], { only: ['nope'] }))).rejects.toThrow(
      /--only: names unknown check nope/,
    );
    await expect(runChecks(engineOptions([testCheck({ id: 'a' })], { skip: ['nah'] }))).rejects.toThrow(
      /--skip: names unknown check nah/,
    );
  });

  it('emits checkStarted/checkFinished events', async () => {
    const events: RunEvent[] = [];
    await runChecks(
      engineOptions(
        [
          testCheck({ id: 'a' }),
          testCheck({ id: 'b', dependsOn: ['a'] }),
          testCheck({ id: 'c', dependsOn: ['b'], outcome: { status: 'fail', code: 'BAD' } }),
        ],
        { onEvent: (e: RunEvent) => events.push(e) },
      ),
    );
    expect(
      events.map((e) => (e.type === 'checkStarted' ? `start ${e.id}` : `done ${e.result.id} ${e.result.status}`)),
    ).toEqual(['start a', 'done a pass', 'start b', 'done b pass', 'start c', 'done c fail']);
  });

  it('applies unexpired accepted exceptions and gates dependants on the real status', async () => {
    const checks = [
      testCheck({ id: 'a', outcome: { status: 'fail', code: 'BAD', data: { what: 'x' } } }),
      testCheck({ id: 'b', dependsOn: ['a'] }),
      testCheck({ id: 'c', outcome: { status: 'warn', code: 'MEH' } }),
    ];
    const config = (await import('../helpers/engine-fixtures.js')).testConfig({
      exceptions: [
        { id: 'a', reason: 'legacy box, ticket 42' },
        { id: 'c', reason: 'old', expires: '2020-01-01' },
      ],
    });
    const r = byId((await runChecks(engineOptions(checks, { config, today: '2026-01-01' }))).results);
    expect(r.a).toMatchObject({ status: 'skip', skipReason: 'accepted-exception', code: 'BAD' });
    expect(r.a.message).toBe('Accepted exception (legacy box, ticket 42): Broken: x.');
    expect(r.b.status).toBe('skip');
    expect(r.c.status).toBe('warn');
  });
});
