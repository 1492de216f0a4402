// The run's shared clients (src/clients/create.ts), imported only when a check run needs them.
import type { Clients } from '../clients.js';
import type { ResolvedConfig } from '../config/types.js';
import type { Logger } from '../core/log.js';
import type { Redactor } from '../core/redact.js';

export interface ClientDeps {
  redactor: Redactor;
  log: Logger;
  /** Shows the device-code sign-in prompt of --admin device-code. */
  onDeviceCode(message: string): void;
  /** The run's end (Ctrl-C, SIGTERM). */
  signal?: AbortSignal;
}

export async function loadClients(config: ResolvedConfig, deps: ClientDeps): Promise<Clients> {
  const { createClients } = await import('../clients/create.js');
  return createClients(config, deps);
}
