// A per-check tester, as ESLint's RuleTester is for rules: valid and invalid cases of one check, each run as a whole
// `check --demo` run in-process against one emulator per test file, and each naming the status and code expected.
// A meta-test (codes-coverage.test.ts) reads the `code:` of every case to prove each declared code is exercised.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinChecks } from '../../checks/index.js';
import type { Status } from '../../src/core/check.js';
import { demoLayer } from '../../src/cli/demo.js';
import { createClients } from '../../src/clients/create.js';
import type { RawInputs } from '../../src/config/inputs.js';
import { resolveConfig } from '../../src/config/resolve.js';
import type { Endpoints } from '../../src/config/types.js';
import { startEmulator, type RunningEmulator, type StartEmulatorOptions } from '../../src/emulator/index.js';
import type { DemoCredentials, TenantModel } from '../../src/emulator/model.js';
import { buildScenario } from '../../src/emulator/scenarios.js';
import { silentLogger } from '../../src/core/log.js';
import { Redactor } from '../../src/core/redact.js';
import type { CheckResult } from '../../src/core/result.js';
import { runChecks } from '../../src/runner/run.js';

export interface CheckCase {
  /** What the case shows; the test title. */
  name: string;
  status: Status;
  code: string;
  /** A named emulator scenario (default healthy). */
  scenario?: string;
  /** A change to the scenario's tenant or credentials, made before the run. */
  tenant?: (tenant: TenantModel, credentials: DemoCredentials) => void;
  /** Inputs on top of the demo's; a key set to null is removed (as if the user never gave it). */
  inputs?: { [K in keyof RawInputs]?: RawInputs[K] | null };
  /** Mail server fault modes: the case gets an emulator of its own started with them. */
  faults?: StartEmulatorOptions['faults'];
  /** Endpoints changed after resolution: what a connector misconfigured in code would use. */
  endpoints?: Partial<Endpoints>;
  /** Extra assertions on this check's result and the whole run. */
  verify?: (result: CheckResult, run: Map<string, CheckResult>) => void;
}

export interface CheckCases {
  /** Cases in which the check passes. */
  valid: CheckCase[];
  /** Cases in which it warns, fails, skips or errors. */
  invalid: CheckCase[];
}

const PLACEHOLDER = /\{[A-Za-z][A-Za-z0-9_]*\}/;

/** Runs every built-in check as `check --demo` would, on the shared emulator, with the case's tenant and inputs. */
export async function runCase(
  emulator: RunningEmulator,
  c: Omit<CheckCase, 'name' | 'status' | 'code'>,
): Promise<Map<string, CheckResult>> {
  const built = buildScenario(c.scenario ?? 'healthy');
  c.tenant?.(built.tenant, built.credentials);
  emulator.tenant = built.tenant;
  const redactor = new Redactor();
  const layer = demoLayer({ ...emulator, credentials: built.credentials }, {});
  const values: Record<string, unknown> = { ...layer.values };
  for (const [key, value] of Object.entries(c.inputs ?? {})) {
    if (value === null) delete values[key];
    else values[key] = value;
  }
  const { config } = resolveConfig([{ values: values as RawInputs, label: layer.label }], redactor);
  if (c.endpoints) config.endpoints = { ...config.endpoints, ...c.endpoints };
  const clients = createClients(config, { redactor, log: silentLogger });
  const { results } = await runChecks({ checks: builtinChecks, config, clients, redactor, log: silentLogger });
  return new Map(results.map((r) => [r.id, r]));
}

/** Declares the tests of one check: each case asserts its status and code, and what every result must hold. */
export function checkTester(id: string, cases: CheckCases): void {
  const check = builtinChecks.find((c) => c.meta.id === id);
  describe(`check ${id}`, () => {
    let emulator: RunningEmulator;
    beforeAll(async () => {
      emulator = await startEmulator();
    });
    afterAll(async () => {
      await emulator?.stop();
    });

    it('is a built-in check, and every case names a code it declares', () => {
      expect(check, `no built-in check ${id}`).toBeDefined();
      const declared = Object.keys(check!.meta.codes);
      const named = [...cases.valid, ...cases.invalid].map((c) => c.code).filter((code) => !/^AADSTS\d+$/.test(code));
      const unknown = named.filter((code) => !declared.includes(code) && !RUNNER_CODES.includes(code));
      expect(unknown, 'codes neither declared by the check nor reported by the runner').toEqual([]);
    });

    const each = [
      ...cases.valid.map((c) => ({ ...c, kind: 'valid' as const })),
      ...cases.invalid.map((c) => ({ ...c, kind: 'invalid' as const })),
    ];
    it.each(each.map((c) => [`${c.kind}: ${c.name} -> ${c.status} ${c.code}`, c] as const))(
      '%s',
      async (_title, c) => {
        if (c.kind === 'valid') expect(c.status, 'a valid case passes').toBe('pass');
        else expect(c.status, 'an invalid case does not pass').not.toBe('pass');
        const own = c.faults ? await startEmulator({ faults: c.faults }) : undefined;
        const run = await runCase(own ?? emulator, c).finally(() => own?.stop());
        const r = run.get(id)!;
        expect({ status: r.status, code: r.code }, r.message).toEqual({ status: c.status, code: c.code });
        expect(r.message, 'unfilled placeholder in the message').not.toMatch(PLACEHOLDER);
        if (r.status === 'fail' || r.status === 'error') {
          expect(r.remediation, `${r.status} without a remediation`).toBeTruthy();
          expect(r.remediation, 'unfilled placeholder in the remediation').not.toMatch(PLACEHOLDER);
        }
        if (r.status === 'skip') expect(r.skipReason, 'a skip says why').toBeTruthy();
        // The demo's secrets never reach a result, whatever went wrong.
        const text = JSON.stringify([...run.values()]);
        const creds = emulator.credentials;
        for (const secret of [creds.password, creds.clientSecret, creds.adminClientSecret])
          expect(text).not.toContain(secret);
        c.verify?.(r, run);
      },
      30_000,
    );
  });
}

/** Codes the runner itself reports for any check (time limit, Ctrl-C, a code the check never declared). */
export const RUNNER_CODES = ['TIMEOUT', 'INTERRUPTED', 'UNDECLARED_CODE', 'INVALID_OUTCOME'];
