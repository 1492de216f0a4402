// Builds the run's clients on one HTTPS transport. MSAL, the Graph SDK and nodemailer load on first
// use only, so commands that never talk to Microsoft (--version, --help) stay fast.
import { isIP } from 'node:net';
import type { ClientDeps, Clients } from './types.js';
import type { ResolvedConfig } from '../config/types.js';
import { createTokenBroker } from '../auth/broker.js';
import { createGraphReader } from '../graph/reader.js';
import { rehearseGraphRead } from '../graph/rehearsal.js';
import { createMailConnector } from '../mail/connector.js';
import { createHttpsTransport } from '../net/https.js';

export function createClients(config: ResolvedConfig, deps: ClientDeps): Clients {
  // The configured secrets are scrubbed from everything, whatever path they might leak through.
  deps.redactor.add(config.clientSecret?.reveal());
  deps.redactor.add(config.password?.reveal());
  if (config.admin?.kind === 'client-secret') deps.redactor.add(config.admin.clientSecret.reveal());

  warmUp(config);
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
      if (service === 'graph') warmGraphLibrary();
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
 * Loads now, while the first checks wait on the network, what every run's first answers would otherwise wait for:
 * MSAL (the broker imports the same loaded instance) and the IP-address matchers Node's TLS host check runs on each
 * handshake (their regular expressions compile on the first calls, a few ms).
 */
function warmUp(config: ResolvedConfig): void {
  import('@azure/msal-node').catch(() => undefined);
  const authority = config.endpoints.authorityHost;
  const host = URL.canParse(authority) ? new URL(authority).hostname : '';
  setImmediate(() => {
    for (let i = 0; i < 2; i++) for (const name of [host, '192.0.2.1', '2001:db8::1']) isIP(name);
  });
}

let graphRehearsed = false;

/**
 * For a run that will read Graph (its connections are being opened): the Graph SDK (the reader imports the same
 * loaded instance), then one read played locally through the reader's middleware, which loads Node's fetch classes
 * the SDK answers with (about 20 ms on first use) and compiles the code every Graph answer goes through.
 */
function warmGraphLibrary(): void {
  // Once per process: a fleet builds clients for every target, and warm code stays warm.
  if (graphRehearsed) return;
  graphRehearsed = true;
  import('@microsoft/microsoft-graph-client').then(
    (sdk) => setImmediate(() => void rehearseGraphRead(sdk).catch(() => undefined)),
    () => undefined,
  );
}
