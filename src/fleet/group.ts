// A fleet group: the targets that share tenant, app and endpoints. They share one HTTPS transport, one
// app-only token per resource, one directory-reader token, the tenant's discovery document, one user-realm
// answer per domain and every Graph read that does not name a mailbox.
import { createHash } from 'node:crypto';
import type { AppResource, TokenInfo } from '../clients/types.js';
import type { ResolvedConfig } from '../config/types.js';
import type { Logger } from '../core/log.js';
import type { Redactor } from '../core/redact.js';
import { createTokenBroker, type TokenBrokerWithStats } from '../auth/broker.js';
import { createGraphReader, type GraphReaderWithStats } from '../graph/reader.js';
import { createHttpsTransport } from '../net/https.js';
import { createGraphBatcher, type GraphBatcher } from './graph-batcher.js';
import { sharedTransport, type SharedTransport } from './shared-transport.js';

/** Everything that decides which tenant, app and servers a target talks to, and how. */
export function groupKey(c: ResolvedConfig): string {
  const e = c.endpoints;
  // Secrets (and the CA bundle) enter the key only as digests: two secrets of one app are two groups.
  const admin = c.admin?.kind === 'client-secret' ? `${c.admin.clientId}:${digest(c.admin.clientSecret.reveal())}` : '';
  return JSON.stringify([
    c.cloud,
    e.authorityHost,
    c.tenant.toLowerCase(),
    c.clientId.toLowerCase(),
    digest(c.clientSecret?.reveal()),
    e.graphUrl,
    admin,
    digest(c.caPem),
    c.timeoutMs,
  ]);
}

function digest(value: string | undefined): string {
  return value === undefined ? '' : createHash('sha256').update(value).digest('base64url').slice(0, 16);
}

export interface FleetGroup {
  key: string;
  transport: SharedTransport;
  tokens: TokenBrokerWithStats;
  graph: GraphReaderWithStats;
  /** Reads that name one mailbox, gathered from the group's targets into $batch requests. */
  batcher: GraphBatcher;
  /** The user-realm answer of a domain, fetched by the first target of that domain. */
  realmOf(domain: string, fetch: () => Promise<Record<string, unknown>>): Promise<Record<string, unknown>>;
  appOnly(resource: AppResource): Promise<TokenInfo>;
  redactor: Redactor;
}

export function createGroup(
  key: string,
  config: ResolvedConfig,
  deps: { redactor: Redactor; log: Logger; signal?: AbortSignal },
): FleetGroup {
  // The app's secrets are registered once, fleet-wide (registerTargetSecrets), in the redactor this one chains to;
  // this one learns the group's tokens, and every target of the group chains to it.
  const transport = sharedTransport(
    createHttpsTransport({
      caPem: config.caPem,
      timeoutMs: config.timeoutMs,
      log: deps.log,
      signal: deps.signal,
      proxy: config.proxy,
    }),
    deps.signal,
  );
  // Built from the group's first target; only its tenant-, app- and endpoint-wide parts are ever used.
  const tokens = createTokenBroker(config, { transport, redactor: deps.redactor, log: deps.log });
  const graph = createGraphReader(config, { tokens, transport, log: deps.log, signal: deps.signal });
  const batcher = createGraphBatcher({
    graphUrl: config.endpoints.graphUrl,
    transport,
    timeoutMs: config.timeoutMs,
    token: (as) => (as === 'admin' ? tokens.admin() : tokens.appOnly('graph')),
  });
  const realms = new Map<string, Promise<Record<string, unknown>>>();
  return {
    key,
    transport,
    tokens,
    graph,
    batcher,
    redactor: deps.redactor,
    appOnly: (resource) => tokens.appOnly(resource),
    realmOf(domain, fetch) {
      let p = realms.get(domain);
      if (!p) {
        p = fetch();
        realms.set(domain, p);
        p.catch(() => realms.delete(domain));
      }
      return p;
    },
  };
}
