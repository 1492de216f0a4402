// Root causes: errors no check explains but with the same code and the same fix are one cause, not one per check.
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/core/result.js';
import { rootCauses } from '../../src/runner/verdict.js';
import { runScenario } from '../checks/run-scenario.js';

const result = (
  id: string,
  status: CheckResult['status'],
  code: string,
  remediation?: string,
  causedBy?: string,
): CheckResult =>
  ({
    id,
    title: id,
    category: 'graph',
    status,
    code,
    message: `${id} ${code}`,
    remediation,
    evidence: {},
    docsUrl: `https://x/${id}.md`,
    dependsOn: [],
    durationMs: 1,
    ...(causedBy ? { causedBy } : {}),
  }) as CheckResult;

describe('errors with one cause', () => {
  it('groups errors of the same code and fix under the first, and keeps different ones apart', () => {
    const wait = 'Wait a few minutes and re-run.';
    const causes = rootCauses([
      result('a', 'error', 'THROTTLED', wait),
      result('b', 'error', 'THROTTLED', wait),
      result('c', 'error', 'TIMEOUT', 'Open host h:993.'),
      result('d', 'error', 'TIMEOUT', 'Open host h:587.'),
      result('e', 'fail', 'X', 'fix x'),
      result('f', 'error', 'THROTTLED', wait, 'e'),
    ]);
    expect(causes.map((c) => [c.id, c.symptoms])).toEqual([
      ['e', ['f']],
      ['a', ['b']],
      ['c', []],
      ['d', []],
    ]);
  });

  it('graph-throttled: one root cause for the six throttled Graph reads', async () => {
    const { results } = await runScenario('graph-throttled');
    const causes = rootCauses([...results.values()]);
    expect(causes).toHaveLength(1);
    expect(causes[0]).toMatchObject({
      code: 'THROTTLED',
      symptoms: ['user-license', 'app-registration', 'admin-consent', 'service-principal', 'sign-in-policy'],
    });
  }, 60_000);
});
