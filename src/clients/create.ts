// Builds the run's clients on one HTTPS transport. MSAL, the Graph SDK and nodemailer load on first
// use only, so commands that never talk to Microsoft (--version, --help) stay fast.
import type { ClientDeps, Clients } from './types.js';
import type { ResolvedConfig } from '../config/types.js';
import { createTokenBroker } from '../auth/broker.js';
import { createGraphReader } from '../graph/reader.js';
import { createMailConnector } from '../mail/connector.js';
import { createHttpsTransport } from '../net/https.js';

export function createClients(config: ResolvedConfig, deps: ClientDeps): Clients {
  // The configured secrets are scrubbed from everything, whatever path they might leak through.
  deps.redactor.add(config.clientSecret?.reveal());
  deps.redactor.add(config.password?.reveal());
  if (config.admin?.kind === 'client-secret') deps.redactor.add(config.admin.clientSecret.reveal());

  preloadHeavyModules();
  const { signal } = deps;
  const transport = createHttpsTransport({
    caPem: config.caPem,
    timeoutMs: config.timeoutMs,
    log: deps.log,
    signal,
    proxy: config.proxy,
  });
  const tokens = createTokenBroker(config, {
    transport,
    redactor: deps.redactor,
    log: deps.log,
    onDeviceCode: deps.onDeviceCode,
    signal,
  });
  const graph = createGraphReader(config, { tokens, transport, log: deps.log, signal });
  const mail = createMailConnector(config, { redactor: deps.redactor, log: deps.log, signal });
  return {
    tokens,
    graph,
    mail,
    close: () => mail.close?.() ?? Promise.resolve(),
    preconnectHttps(service, sockets) {
      try {
        transport.warm?.(service === 'entra' ? config.endpoints.authorityHost : config.endpoints.graphUrl, sockets);
      } catch (err) {
        deps.log.debug(`${service} pre-connect failed (ignored)`, {
          error: err instanceof Error ? err.message : String(err),
        });
      }
    },
  };
}

/**
 * Starts loading MSAL and the Graph SDK now, while the first checks wait on the network, so their load is off the
 * critical path. The token broker and Graph reader import the same modules and get the same loaded instances.
 */
function preloadHeavyModules(): void {
  import('@azure/msal-node').catch(() => undefined);
  import('@microsoft/microsoft-graph-client').catch(() => undefined);
}
