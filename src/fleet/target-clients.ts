// The Clients of one fleet target: tenant- and app-wide work goes to its group (app-only and directory-reader
// tokens, discovery, user realm per domain, Graph reads that name no mailbox); the ROPC token, Graph reads
// about its own mailbox and the IMAP/POP/SMTP logins are its own, and are dropped with it.
import type { Clients, GraphIdentity, GraphReadOptions, GraphReader, TokenBroker } from '../clients/types.js';
import type { ResolvedConfig } from '../config/types.js';
import type { Logger } from '../core/log.js';
import type { Redactor } from '../core/redact.js';
import { createTokenBroker } from '../auth/broker.js';
import { createGraphReader, withSignal } from '../graph/reader.js';
import { createMailConnector } from '../mail/connector.js';
import type { AccountAttempts } from './account-attempts.js';
import type { FleetGroup } from './group.js';

export interface TargetClients extends Clients {
  /** Ends the target's pre-connected mail sessions that no login took. */
  close(): Promise<void>;
  /** Token endpoint POSTs this target made itself (its ROPC attempt). */
  ownTokenPosts(): number;
  /** Graph requests this target made itself (plain reads about its mailbox, when a batch could not serve them). */
  ownGraphRequests(): number;
}

export interface TargetDeps {
  redactor: Redactor;
  log: Logger;
  signal?: AbortSignal;
  /** The run's one password attempt per account, and the target's name for it. */
  accounts?: AccountAttempts;
  name?: string;
}

export function createTargetClients(config: ResolvedConfig, group: FleetGroup, deps: TargetDeps): TargetClients {
  // The password is registered once, fleet-wide (registerTargetSecrets), in the redactor this one chains to.
  const own = createTokenBroker(config, { transport: group.transport, redactor: deps.redactor, log: deps.log });
  const domain = config.username.slice(config.username.lastIndexOf('@') + 1).toLowerCase();
  const tokens: TokenBroker = {
    discovery: () => group.tokens.discovery(),
    userRealm: () => group.realmOf(domain, () => own.userRealm()),
    appOnly: (resource) => group.appOnly(resource),
    admin: () => group.tokens.admin(),
    ropc: () =>
      (deps.accounts ? deps.accounts.ropc(config, deps.name ?? config.username, () => own.ropc()) : own.ropc())
        // A token another target got is this target's secret too: its output must scrub it.
        .then((t) => {
          deps.redactor.add(t.accessToken);
          return t;
        }),
  };
  const mine = createGraphReader(config, { tokens, transport: group.transport, log: deps.log, signal: deps.signal });
  // A path that names this mailbox is read for this target alone; anything else is the group's.
  const marker = encodeURIComponent(config.username).toLowerCase();
  const isOwn = (path: string) => marker !== '' && path.toLowerCase().includes(marker);
  // The checks that read this mailbox's user object share one read, which travels in a group $batch.
  const ownReads = new Map<string, Promise<unknown>>();
  const ownGet = (path: string, as: GraphIdentity) => {
    const key = `${as} ${path}`;
    let p = ownReads.get(key);
    if (!p) {
      p = group.batcher.get(path, as, () => mine.get(path, as));
      ownReads.set(key, p);
      p.catch(() => {});
    }
    return p;
  };
  const graph: GraphReader = {
    get: <T>(path: string, as: GraphIdentity, opts?: GraphReadOptions) =>
      isOwn(path)
        ? (withSignal(ownGet(path, as), opts?.signal, config.endpoints.graphUrl) as Promise<T>)
        : group.graph.get<T>(path, as, opts),
    list: <T>(path: string, as: GraphIdentity, opts?: GraphReadOptions) =>
      (isOwn(path) ? mine : group.graph).list<T>(path, as, opts),
  };
  const mail = createMailConnector(config, deps);
  return {
    tokens,
    graph,
    mail,
    close: () => mail.close?.() ?? Promise.resolve(),
    ownTokenPosts: () => Object.values(own.tokenPosts).reduce((a, b) => a + b, 0),
    ownGraphRequests: () => mine.sent,
  };
}
