// The TokenBroker: discovery and user-realm GETs, client-credentials, ROPC and the directory reader's
// token. Every token is registered with the redactor the moment it arrives; ROPC runs at most once.
import type * as Msal from '@azure/msal-node';
import type { AppResource, TokenBroker, TokenInfo } from '../clients/types.js';
import type { AdminCredential, ResolvedConfig } from '../config/types.js';
import { ConfigError, EntraError, NetError, NoDirectoryReaderError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { HttpsTransport } from '../net/https.js';
import type { Redactor } from '../core/redact.js';
import { decodeClaims } from './claims.js';
import { entraErrorFromBody, entraErrorFromMsal } from './entra-error.js';
import { getEntraJson, requireOpenIdConfiguration, requireUserRealm } from './entra-get.js';
import { MsalNetwork } from './msal-network.js';
import { adminDelegatedScopes, appOnlyScope, ropcScopes } from './scopes.js';

/**
 * Public client used when an administrator signs in with device code: Microsoft's "Microsoft Graph Command Line
 * Tools" app, which exists in every tenant's consent flow and may request delegated Graph read scopes.
 */
export const DEVICE_CODE_CLIENT_ID = '14d82eec-204b-4c2f-b7e8-296a70dab67e';

/** How long an administrator has to complete the device-code sign-in. */
export const DEVICE_CODE_WAIT_SECONDS = 300;

export interface BrokerDeps {
  transport: HttpsTransport;
  redactor: Redactor;
  log: Logger;
  onDeviceCode?: (message: string) => void;
  /** The run's end: MSAL's device-code polling stops (its requests end through the transport's own signal). */
  signal?: AbortSignal;
}

type MsalModule = typeof Msal;
type AdminSecret = Extract<AdminCredential, { kind: 'client-secret' }>;
type MsalApp = Msal.ConfidentialClientApplication | Msal.PublicClientApplication;

export interface TokenBrokerWithStats extends TokenBroker {
  /** POSTs this broker made to token endpoints, per flow (the one-attempt rule is observable). */
  readonly tokenPosts: Readonly<Record<'ropc' | 'app-graph' | 'app-exchange' | 'admin', number>>;
}

export function createTokenBroker(config: ResolvedConfig, deps: BrokerDeps): TokenBrokerWithStats {
  const { transport, redactor, log } = deps;
  const host = config.endpoints.authorityHost.replace(/\/+$/, '');
  const authority = `${host}/${encodeURIComponent(config.tenant)}`;
  const knownAuthorities = [new URL(host).host];
  const posts = { ropc: 0, 'app-graph': 0, 'app-exchange': 0, admin: 0 };
  let msalModule: Promise<MsalModule> | undefined;
  const loadMsal = () => (msalModule ??= import('@azure/msal-node'));
  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    let p = memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = fn();
      memo.set(key, p);
      p.catch(() => {});
    }
    return p;
  };

  const discoveryUrl = `${authority}/v2.0/.well-known/openid-configuration`;
  const discovery = () =>
    once('discovery', async () =>
      requireOpenIdConfiguration(await getEntraJson(transport, discoveryUrl, 'discovery'), discoveryUrl),
    );

  /** Builds one MSAL app per flow, so caches, captured errors and counts never mix between flows. */
  async function msalApp(
    kind: 'confidential' | 'public',
    clientId: string,
    secret?: string,
    known?: Record<string, unknown>,
  ) {
    const [msal, metadata] = await Promise.all([loadMsal(), known ?? discovery()]);
    const network = new MsalNetwork(transport, redactor);
    const system: Msal.NodeSystemOptions = {
      networkClient: network,
      loggerOptions: {
        // Everything MSAL says reaches --verbose, through the logger, which scrubs every line; PII logging stays
        // off. Without --verbose MSAL is asked for errors only: its verbose messages cost CPU on every token.
        logLevel: log.debugEnabled === false ? msal.LogLevel.Error : msal.LogLevel.Verbose,
        piiLoggingEnabled: false,
        loggerCallback: (_level, message) => log.debug(`msal: ${message}`),
      },
    };
    // The discovery document we already fetched is handed to MSAL, so it makes no second metadata request.
    const auth = { clientId, authority, knownAuthorities, authorityMetadata: JSON.stringify(metadata) };
    const app: MsalApp =
      kind === 'confidential'
        ? new msal.ConfidentialClientApplication({ auth: { ...auth, clientSecret: secret }, system })
        : new msal.PublicClientApplication({ auth, system });
    return { app, network };
  }

  async function acquire(
    flow: keyof typeof posts,
    kind: 'confidential' | 'public',
    clientId: string,
    secret: string | undefined,
    call: (app: MsalApp) => Promise<Msal.AuthenticationResult | null>,
    metadata?: Record<string, unknown>,
  ): Promise<TokenInfo> {
    const { app, network } = await msalApp(kind, clientId, secret, metadata);
    let result: Msal.AuthenticationResult | null;
    try {
      result = await call(app);
    } catch (err) {
      throw toEntraOrNetError(err, network, redactor);
    } finally {
      posts[flow] += network.tokenPosts;
    }
    if (!result?.accessToken)
      throw new EntraError({
        httpStatus: 0,
        error: 'no_token',
        errorCodes: [],
        description: 'the token endpoint returned no access token',
      });
    return toTokenInfo(result, network, redactor);
  }

  /** A client-credentials token for `resource`'s .default scope, for the app or the directory reader. */
  function clientCredentials(
    flow: 'app-graph' | 'app-exchange' | 'admin',
    clientId: string,
    secret: string,
    resource: AppResource,
    metadata?: Record<string, unknown>,
  ): Promise<TokenInfo> {
    return acquire(
      flow,
      'confidential',
      clientId,
      secret,
      (app) =>
        (app as Msal.ConfidentialClientApplication).acquireTokenByClientCredential({
          scopes: [appOnlyScope(config, resource)],
        }),
      metadata,
    );
  }

  function requestAppOnly(resource: AppResource, metadata?: Record<string, unknown>): Promise<TokenInfo> {
    const secret = requireSecret(config.clientSecret?.reveal(), 'client-secret');
    return clientCredentials(
      resource === 'graph' ? 'app-graph' : 'app-exchange',
      config.clientId,
      secret,
      resource,
      metadata,
    );
  }

  /** Client-credentials requests started before discovery answered (prefetchAppOnly, prefetchAdmin), by memo key. */
  const early = new Map<string, Promise<TokenInfo>>();

  /** The early request's answer (token or refusal) when it went where this one would go, else this request. */
  async function earlyOr(key: string, request: () => Promise<TokenInfo>): Promise<TokenInfo> {
    const ahead = early.get(key);
    if (ahead && sameTokenEndpoint(await discovery(), host)) return ahead;
    if (ahead) log.debug('the early client-credentials answer is not used: discovery names another token endpoint');
    return request();
  }

  /**
   * Sends a client-credentials POST now, beside discovery instead of after it, to the token endpoint of the configured
   * authority (MSAL is handed that endpoint, so it waits for no document). Safe to send early: the grant carries an
   * app's secret and no user's password, so it can never count toward an account's lockout, and it changes nothing
   * in the tenant; the answer is used only when discovery names the same endpoint.
   */
  function prefetch(key: string, request: (metadata: Record<string, unknown>) => Promise<TokenInfo>): void {
    if (early.has(key) || memo.has(key) || !config.tenant) return;
    const ahead = request(configuredMetadata(authority));
    ahead.catch(() => undefined);
    early.set(key, ahead);
  }

  function appOnly(resource: AppResource): Promise<TokenInfo> {
    return once(`app:${resource}`, () => earlyOr(`app:${resource}`, () => requestAppOnly(resource)));
  }

  function prefetchAppOnly(resource: AppResource): void {
    if (!config.clientId || !config.clientSecret?.reveal()) return;
    prefetch(`app:${resource}`, (metadata) => requestAppOnly(resource, metadata));
  }

  // One ROPC attempt per run, failures included: repeating a wrong password feeds smart lockout (AADSTS50053).
  function ropc(scopes?: readonly string[]): Promise<TokenInfo> {
    // Other scopes (`m365-doctor token --scope`) are another request, memoized apart from the checks' one.
    const wanted = scopes?.length ? [...scopes] : ropcScopes(config);
    return once(scopes?.length ? `ropc:${wanted.join(' ')}` : 'ropc', async () => {
      const password = requireSecret(config.password?.reveal(), 'password');
      const secret = config.clientSecret?.reveal();
      return acquire('ropc', secret ? 'confidential' : 'public', config.clientId, secret, (app) =>
        app.acquireTokenByUsernamePassword({ scopes: wanted, username: config.username, password }),
      );
    });
  }

  function admin(): Promise<TokenInfo> {
    return once('admin', async () => {
      const cred = config.admin;
      if (!cred) throw new NoDirectoryReaderError();
      if (cred.kind === 'client-secret') return earlyOr('admin', () => requestAdminSecret(cred));
      const clientId = cred.clientId ?? DEVICE_CODE_CLIENT_ID;
      const request: Msal.DeviceCodeRequest = {
        scopes: adminDelegatedScopes(config),
        // MSAL would otherwise poll for the code's whole life (15 min), holding the process after the run gave up.
        timeout: DEVICE_CODE_WAIT_SECONDS,
        deviceCodeCallback: (r) => {
          // MSAL calls back even when the devicecode endpoint refused (every field undefined): say nothing then.
          const message = deviceCodeMessage(r);
          if (message) deps.onDeviceCode?.(message);
        },
      };
      // MSAL's documented way to stop polling: it reads the flag before each poll.
      const stopPolling = () => {
        request.cancel = true;
      };
      deps.signal?.addEventListener('abort', stopPolling, { once: true });
      return acquire('admin', 'public', clientId, undefined, (app) =>
        (app as Msal.PublicClientApplication).acquireTokenByDeviceCode(request),
      )
        .catch((err: unknown) => {
          // The refused app is the device-code one, not the connector's.
          const name = cred.clientId
            ? "the directory reader's device-code app"
            : 'Microsoft Graph Command Line Tools, the --admin device-code app';
          throw err instanceof EntraError ? err.about({ clientId: `${clientId} (${name})` }) : err;
        })
        .finally(() => deps.signal?.removeEventListener('abort', stopPolling));
    });
  }

  /** The directory reader's client-credentials request (its own app and secret, Graph's .default scope). */
  const requestAdminSecret = (cred: AdminSecret, metadata?: Record<string, unknown>) =>
    clientCredentials('admin', cred.clientId, cred.clientSecret.reveal(), 'graph', metadata);

  /** Starts admin()'s request early when the directory reader signs in with a secret (a device code waits for a person). */
  function prefetchAdmin(): void {
    const cred = config.admin;
    if (cred?.kind === 'client-secret' && cred.clientSecret.reveal())
      prefetch('admin', (m) => requestAdminSecret(cred, m));
  }

  const realmUrl = `${host}/common/userrealm/${encodeURIComponent(config.username)}?api-version=2.0`;
  const userRealm = () =>
    once('userrealm', async () => requireUserRealm(await getEntraJson(transport, realmUrl, 'userrealm'), realmUrl));

  return { discovery, userRealm, appOnly, prefetchAppOnly, ropc, admin, prefetchAdmin, tokenPosts: posts };
}

/**
 * The endpoints MSAL needs, as Entra's discovery document names them for `authority` (host/tenant): its token
 * requests then go to {authority}/oauth2/v2.0/token, where they go after discovery too (MSAL puts the configured
 * tenant in the discovered endpoint's path).
 */
function configuredMetadata(authority: string): Record<string, unknown> {
  return {
    token_endpoint: `${authority}/oauth2/v2.0/token`,
    authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
    jwks_uri: `${authority}/discovery/v2.0/keys`,
    issuer: `${authority}/v2.0`,
  };
}

/** Discovery names a v2 token endpoint on the configured authority host: the one an early request was sent to. */
export function sameTokenEndpoint(doc: Record<string, unknown>, authorityHost: string): boolean {
  try {
    const url = new URL(String(doc.token_endpoint));
    return url.origin === new URL(authorityHost).origin && /^\/[^/]+\/oauth2\/v2\.0\/token$/.test(url.pathname);
  } catch {
    return false;
  }
}

/** Entra's own instruction, or one built from its parts when a server leaves `message` out. */
export function deviceCodeMessage(r: {
  message?: string;
  userCode?: string;
  verificationUri?: string;
}): string | undefined {
  if (r.message) return r.message;
  if (r.userCode && r.verificationUri) {
    return `To sign in, use a web browser to open the page ${r.verificationUri} and enter the code ${r.userCode} to authenticate.`;
  }
  return undefined;
}

function requireSecret(value: string | undefined, field: string): string {
  if (!value)
    throw new ConfigError(
      field,
      'is not set',
      `Provide the ${field} (flag, environment variable or prompt) and run again`,
    );
  return value;
}

function toTokenInfo(result: Msal.AuthenticationResult, network: MsalNetwork, redactor: Redactor): TokenInfo {
  redactor.add(result.accessToken);
  redactor.add(result.idToken);
  // MSAL does not return the refresh token; the answer the network client kept (and registered with the redactor,
  // as every token field) has it.
  const refresh = network.tokenBody?.refresh_token;
  const rawScope = network.tokenBody?.scope;
  return {
    accessToken: result.accessToken,
    claims: decodeClaims(result.accessToken),
    // Not MSAL's result.scopes: without a scope field in the answer, MSAL fills in the scopes that were asked.
    scope: typeof rawScope === 'string' ? rawScope : undefined,
    hasRefreshToken: typeof refresh === 'string' && refresh.length > 0,
    expiresOn: result.expiresOn ? result.expiresOn.toISOString() : undefined,
  };
}

function toEntraOrNetError(err: unknown, network: MsalNetwork, redactor: Redactor): Error {
  if (err instanceof EntraError || err instanceof NetError || err instanceof ConfigError) return err;
  if (network.errorAnswer)
    return scrubbed(entraErrorFromBody(network.errorAnswer.status, network.errorAnswer.body), redactor);
  if (network.netError) return network.netError;
  return scrubbed(entraErrorFromMsal(err as Parameters<typeof entraErrorFromMsal>[0]), redactor);
}

function scrubbed(e: EntraError, redactor: Redactor): EntraError {
  const clean = redactor.scrub(e.info.description);
  return clean === e.info.description ? e : new EntraError({ ...e.info, description: clean });
}
