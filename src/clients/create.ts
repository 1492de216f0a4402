// Builds the run's clients on one HTTPS transport. MSAL, the Graph SDK and nodemailer load on first
// use only, so commands that never talk to Microsoft (--version, --help) stay fast.
import type { Clients } from '../clients.js';
import type { ResolvedConfig } from '../config/types.js';
import type { Logger } from '../log.js';
import type { Redactor } from '../redact.js';
import { createTokenBroker } from '../auth/broker.js';
import { createGraphReader } from '../graph/reader.js';
import { createMailConnector } from '../mail/connector.js';
import { createHttpsTransport } from '../net/https.js';

export interface ClientDeps {
  redactor: Redactor;
  log: Logger;
  /** Shows the device-code sign-in message (user code and URL) to the person running the tool. */
  onDeviceCode?: (message: string) => void;
}

export function createClients(config: ResolvedConfig, deps: ClientDeps): Clients {
  // The configured secrets are scrubbed from everything, whatever path they might leak through.
  deps.redactor.add(config.clientSecret?.reveal());
  deps.redactor.add(config.password?.reveal());
  if (config.admin?.kind === 'client-secret') deps.redactor.add(config.admin.clientSecret.reveal());

  preloadHeavyModules();
  const transport = createHttpsTransport({ caPem: config.caPem, timeoutMs: config.timeoutMs, log: deps.log, proxy: config.proxy });
  const tokens = createTokenBroker(config, { transport, redactor: deps.redactor, log: deps.log, onDeviceCode: deps.onDeviceCode });
  const graph = createGraphReader(config, { tokens, transport, log: deps.log });
  const mail = createMailConnector(config, { redactor: deps.redactor, log: deps.log });
  return { tokens, graph, mail, close: () => mail.close?.() ?? Promise.resolve() };
}

/**
 * Starts loading MSAL and the Graph SDK now, while the first checks wait on the network, so their load is off the
 * critical path. The token broker and Graph reader import the same modules and get the same loaded instances.
 */
function preloadHeavyModules(): void {
  import('@azure/msal-node').catch(() => undefined);
  import('@microsoft/microsoft-graph-client').catch(() => undefined);
}
