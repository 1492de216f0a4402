// A RunReport made by the real runner from test checks: one of every status, with awkward text.
import { EntraError } from '../../src/core/errors.js';
import { buildReport } from '../../src/runner/report.js';
import { runChecks } from '../../src/runner/run.js';
import type { RunReport } from '../../src/core/result.js';
import { engineOptions, testCheck, testConfig, testRedactor, TEST_SECRETS } from './engine-fixtures.js';

export async function sampleReport(): Promise<RunReport> {
  const checks = [
    testCheck({ id: 'inputs', category: 'config' }),
    testCheck({ id: 'app-found', category: 'entra', dependsOn: ['inputs'], outcome: { status: 'warn', code: 'MEH' } }),
    testCheck({
      id: 'consent',
      category: 'entra',
      dependsOn: ['inputs'],
      outcome: {
        status: 'fail',
        code: 'BAD',
        data: { what: 'consent <IMAP> & "POP" \u0001' },
        evidence: { scopes: ['IMAP.AccessAsUser.All'], seen: true },
      },
    }),
    testCheck({ id: 'ropc', category: 'token', dependsOn: ['consent'] }),
    testCheck({
      id: 'graph-user',
      category: 'graph',
      throws: new EntraError({
        httpStatus: 400,
        error: 'invalid_client',
        aadsts: 7000215,
        errorCodes: [7000215],
        description: `bad secret ${TEST_SECRETS.clientSecret}`,
      }),
    }),
    testCheck({
      id: 'imap-login',
      category: 'exchange',
      outcome: { status: 'skip', code: 'NA', skipReason: 'not-applicable' },
    }),
  ];
  const startedAt = new Date();
  const { results } = await runChecks(engineOptions(checks));
  return buildReport({
    version: '0.1.0',
    config: testConfig(),
    results,
    startedAt,
    finishedAt: new Date(),
    redactor: testRedactor(),
  });
}

/** The same report with symptoms linked to their root causes by hand (what the consulting checks will set). */
export function withCausedBy(report: RunReport, links: Record<string, string>): RunReport {
  return { ...report, checks: report.checks.map((c) => (links[c.id] ? { ...c, causedBy: links[c.id] } : c)) };
}
