// The run's shared clients (src/clients/create.ts), loaded on first use: MSAL, Graph and the mail libraries
// are heavy, and a run that needs none of them (--only config, plugin-only runs) should not pay for them.
import type { Clients } from '../clients.js';
import type { ResolvedConfig } from '../config/types.js';
import type { Logger } from '../log.js';
import type { Redactor } from '../redact.js';

export interface ClientDeps {
  redactor: Redactor;
  log: Logger;
  /** Shows the device-code sign-in prompt of --admin device-code. */
  onDeviceCode(message: string): void;
}

const CLIENTS_MODULE = '../clients/create.js';

export function lazyClients(config: ResolvedConfig, deps: ClientDeps,
  load: () => Promise<Clients> = async () => {
    const mod = (await import(CLIENTS_MODULE)) as { createClients(c: ResolvedConfig, d: ClientDeps): Clients | Promise<Clients> };
    return mod.createClients(config, deps);
  }): Clients {
  let real: Promise<Clients> | undefined;
  const get = () => (real ??= load());
  // Every client method is async, so a forwarding proxy keeps the interface exactly.
  const part = <K extends keyof Clients>(key: K): Clients[K] => new Proxy({}, {
    get: (_target, method) => async (...args: unknown[]) => {
      const target = (await get())[key] as unknown as Record<string | symbol, (...a: unknown[]) => unknown>;
      return target[method](...args);
    },
  }) as Clients[K];
  return { tokens: part('tokens'), graph: part('graph'), mail: part('mail') };
}
