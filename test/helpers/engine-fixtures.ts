// Test checks, fake clients and a resolved config for engine tests (no network, no emulator).
import { defineCheck, type Category, type Check, type CheckContext, type Outcome } from '../../src/core/check.js';
import type { Clients } from '../../src/clients/types.js';
import { CLOUDS } from '../../src/m365/clouds.js';
import { ACTIVITIES, type ResolvedConfig } from '../../src/config/types.js';
import { silentLogger } from '../../src/core/log.js';
import { Redactor } from '../../src/core/redact.js';
import { Secret } from '../../src/core/secret.js';

export interface TestCheckSpec {
  id: string;
  category?: Category;
  dependsOn?: string[];
  after?: string[];
  /** How long run() takes, honouring the abort signal unless ignoreSignal. */
  delayMs?: number;
  ignoreSignal?: boolean;
  outcome?: Partial<Outcome> | ((ctx: CheckContext) => Partial<Outcome>);
  throws?: unknown;
}

const CODES = {
  OK: { message: 'All good for {username}.' },
  BAD: { message: 'Broken: {what}.', remediation: 'Fix {what} in tenant {tenant}.' },
  MEH: { message: 'Could be better.', remediation: 'Consider improving it.' },
  NA: { message: 'Not applicable here.' },
};

/** A check whose behaviour is data; timing marks go into `trace` so tests can assert ordering. */
export function testCheck(spec: TestCheckSpec, trace: string[] = []): Check {
  return defineCheck({
    meta: {
      id: spec.id,
      title: `Test ${spec.id}`,
      category: spec.category ?? 'config',
      dependsOn: spec.dependsOn ?? [],
      after: spec.after,
      description: 'A check used by the engine tests.',
      codes: CODES,
    },
    async run(ctx) {
      trace.push(`start:${spec.id}`);
      if (spec.delayMs) await sleep(spec.delayMs, spec.ignoreSignal ? undefined : ctx.signal);
      trace.push(`end:${spec.id}`);
      if (spec.throws !== undefined) throw spec.throws;
      const o = typeof spec.outcome === 'function' ? spec.outcome(ctx) : spec.outcome;
      return { status: 'pass', code: 'OK', ...o } as Outcome<keyof typeof CODES>;
    },
  });
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/** Clients whose every call fails loudly: engine tests must not reach them. */
export function unreachableClients(): Clients {
  const fail = (): never => {
    throw new Error('engine tests must not call clients');
  };
  const proxy = new Proxy({}, { get: () => fail });
  return { tokens: proxy, graph: proxy, mail: proxy } as unknown as Clients;
}

export const TEST_SECRETS = { clientSecret: 'cs~Sup3r-Secret-Value', password: 'P@ssw0rd-never-shown' };

export function testConfig(over: Partial<ResolvedConfig> = {}): ResolvedConfig {
  return {
    cloud: 'global',
    tenant: 'contoso.onmicrosoft.com',
    clientId: '11111111-2222-3333-4444-555555555555',
    clientSecret: new Secret(TEST_SECRETS.clientSecret),
    username: 'mailbox@contoso.onmicrosoft.com',
    password: new Secret(TEST_SECRETS.password),
    activities: [...ACTIVITIES],
    profile: 'vendor',
    endpoints: { ...CLOUDS.global.endpoints },
    timeoutMs: 15000,
    sendTestMail: false,
    exceptions: [],
    ...over,
  };
}

export function testRedactor(): Redactor {
  const r = new Redactor();
  r.add(TEST_SECRETS.clientSecret);
  r.add(TEST_SECRETS.password);
  return r;
}

export function engineOptions(checks: Check[], over: Record<string, unknown> = {}) {
  return {
    checks,
    config: testConfig(),
    clients: unreachableClients(),
    redactor: testRedactor(),
    log: silentLogger,
    ...over,
  };
}
