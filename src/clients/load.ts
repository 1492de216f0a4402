// The run's shared clients (src/clients/create.ts), imported only when a check run needs them.
import type { ClientDeps, Clients } from './types.js';
import type { ResolvedConfig } from '../config/types.js';

export async function loadClients(config: ResolvedConfig, deps: ClientDeps): Promise<Clients> {
  const { createClients } = await import('./create.js');
  return createClients(config, deps);
}
