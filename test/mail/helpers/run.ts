// Runs the built-in checks in-process with the real clients against an emulator, its mail endpoints behind
// counting relays: the path `check --demo` takes, with the connections visible.
import { builtinChecks } from '../../../checks/index.js';
import type { Check } from '../../../src/core/check.js';
import { demoLayer } from '../../../src/cli/demo.js';
import type { Clients } from '../../../src/clients/types.js';
import { createClients } from '../../../src/clients/create.js';
import { resolveConfig } from '../../../src/config/resolve.js';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { silentLogger } from '../../../src/core/log.js';
import { Redactor } from '../../../src/core/redact.js';
import type { CheckResult } from '../../../src/core/result.js';
import { runChecks } from '../../../src/runner/run.js';
import { countingRelay, type CountingRelay } from './counting-relay.js';

export interface Relays {
  imap: CountingRelay;
  pop: CountingRelay;
  smtp: CountingRelay;
}

export async function relaysFor(e: RunningEmulator): Promise<Relays> {
  const [imap, pop, smtp] = await Promise.all([countingRelay(e.imap), countingRelay(e.pop), countingRelay(e.smtp)]);
  return { imap, pop, smtp };
}

export interface RunOptions {
  only?: string[];
  skip?: string[];
  checks?: readonly Check[];
  /** Holds the ROPC token back until this resolves. */
  ropcGate?: () => Promise<void>;
}

/** One run; the clients are returned unclosed, so a test can look before and after close(). */
export async function runThrough(
  e: RunningEmulator,
  relays: Relays,
  opts: RunOptions = {},
): Promise<{ results: Map<string, CheckResult>; clients: Clients }> {
  const redactor = new Redactor();
  const flags = {
    values: { imap: relays.imap.hostPort, pop: relays.pop.hostPort, smtp: relays.smtp.hostPort },
    label: (k: string) => `--${k}`,
  };
  const { config } = resolveConfig([flags, demoLayer(e, {})], redactor);
  const clients = createClients(config, { redactor, log: silentLogger });
  const gate = opts.ropcGate;
  if (gate) {
    const ropc = clients.tokens.ropc.bind(clients.tokens);
    clients.tokens = {
      ...clients.tokens,
      ropc: async (scopes) => {
        await gate();
        return ropc(scopes);
      },
    };
  }
  const { results } = await runChecks({
    checks: opts.checks ?? builtinChecks,
    config,
    clients,
    redactor,
    log: silentLogger,
    only: opts.only,
    skip: opts.skip,
  });
  return { results: new Map(results.map((r) => [r.id, r])), clients };
}

/** The built-in checks without prepare(): a run as it was before pre-connecting. */
export const withoutPrepare = (): Check[] => builtinChecks.map((c) => ({ meta: c.meta, run: c.run }));
