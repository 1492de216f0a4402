// Shared clients a check reaches through its context. One instance per run (per target in fleet
// mode): tokens and Graph reads are memoized, so checks that need the same token share one request.
import type { HostPort } from '../config/types.js';
import type { Logger } from '../core/log.js';
import type { Redactor } from '../core/redact.js';

/** Decoded JWT claims (never the raw token). */
export type JwtClaims = Record<string, unknown> & {
  aud?: string;
  iss?: string;
  tid?: string;
  oid?: string;
  upn?: string;
  unique_name?: string;
  appid?: string;
  azp?: string;
  scp?: string;
  roles?: string[];
  exp?: number;
  iat?: number;
};

export interface TokenInfo {
  /** The raw access token. Registered with the redactor before it is returned. */
  accessToken: string;
  claims: JwtClaims;
  /** The space-separated `scope` field exactly as the token endpoint sent it; undefined when it sent none. */
  scope?: string;
  hasRefreshToken: boolean;
  expiresOn?: string;
}

export type AppResource = 'graph' | 'exchange';

export interface TokenBroker {
  /** OIDC discovery document of the configured tenant (raw GET, so AADSTS90002 is visible). */
  discovery(): Promise<Record<string, unknown>>;
  /** GET {authorityHost}/common/userrealm/{upn}?api-version=2.0 */
  userRealm(): Promise<Record<string, unknown>>;
  /** Client-credentials token for {resource}/.default. Memoized per resource. Throws EntraError. */
  appOnly(resource: AppResource): Promise<TokenInfo>;
  /**
   * Starts appOnly(resource)'s request now, before discovery answered, at the token endpoint the configuration
   * names; appOnly uses its answer when discovery names that same endpoint. Never throws.
   */
  prefetchAppOnly?(resource: AppResource): void;
  /**
   * ROPC token for the Exchange delegated scopes of the activities + offline_access. One attempt per run, memoized
   * (also the failure). `scopes` (optional, additive) asks for those scopes instead, memoized separately.
   */
  ropc(scopes?: readonly string[]): Promise<TokenInfo>;
  /** Token for Graph of the directory reader (--admin). Throws NoDirectoryReaderError when none is configured. */
  admin(): Promise<TokenInfo>;
  /** Starts admin()'s request now when the reader signs in with a secret, as prefetchAppOnly does. Never throws. */
  prefetchAdmin?(): void;
}

export type GraphIdentity = 'app' | 'admin';

/** Per-call options of a Graph read: the caller's signal ends its wait (the shared request keeps its own deadline). */
export interface GraphReadOptions {
  signal?: AbortSignal;
}

export interface GraphReader {
  /** GET a Graph v1.0 path (e.g. "/users/x?$select=id"). Throws GraphError / NetError. */
  get<T = Record<string, unknown>>(path: string, as: GraphIdentity, opts?: GraphReadOptions): Promise<T>;
  /** GET a collection, following @odata.nextLink; returns every item of `value`. */
  list<T = Record<string, unknown>>(path: string, as: GraphIdentity, opts?: GraphReadOptions): Promise<T[]>;
}

export type MailProtocol = 'imap' | 'pop' | 'smtp';

/** What one SASL XOAUTH2 login saw on the wire. Lines are redacted; tokens never appear. */
export interface MailLoginResult {
  protocol: MailProtocol;
  endpoint: HostPort;
  /** True when the server accepted AUTHENTICATE / AUTH. */
  authenticated: boolean;
  greeting: string;
  capabilities: string[];
  /** Last phase reached: connect, tls, greeting, capability, starttls, auth, examine, stat, ... */
  phase: string;
  /** The server's final line for the AUTH step (e.g. "A1 NO AUTHENTICATE failed."). */
  authLine: string;
  /** Decoded base64 JSON the server sent as a failure continuation, when it sent one. */
  challenge?: Record<string, unknown>;
  /**
   * The reply that decided the login, parsed: the AUTH step's answer, or when AUTH was accepted the answer to the
   * command after it (EXAMINE / STAT); the refused STARTTLS. Undefined only when the dialog ended before any.
   */
  reply?: MailReply;
  /** True when the server took the XOAUTH2 exchange (asked for the response): it speaks XOAUTH2 whatever it listed. */
  xoauth2Taken?: boolean;
  /** Line answering the command after login (EXAMINE INBOX / STAT); undefined if not reached. */
  afterAuthLine?: string;
  afterAuthOk?: boolean;
  tlsProtocol?: string;
  /** How the connection was made when a proxy is configured: direct, or through the proxy's tunnel. */
  route?: string;
}

/** A server reply as the protocol states it, so checks decide on codes and read the wording only where codes tie. */
export interface MailReply {
  /** The command answered: AUTHENTICATE, EXAMINE (IMAP); AUTH, STAT (POP); STARTTLS, AUTH (SMTP). */
  command: string;
  /** IMAP: OK, NO, BAD or BYE; POP: +OK or -ERR; SMTP: the reply code as text ("535"). */
  status: string;
  /** SMTP only: the reply code (RFC 5321 4.2), e.g. 535. */
  code?: number;
  /** SMTP only: the enhanced status code (RFC 3463), e.g. "5.7.139". */
  enhancedCode?: string;
  /**
   * IMAP: the bracketed response code (RFC 9051 7.1, RFC 5530), e.g. "AUTHENTICATIONFAILED"; POP: the extended
   * response code (RFC 2449 8, RFC 3206), e.g. "AUTH" or "SYS/TEMP". Only its name, never its arguments.
   */
  responseCode?: string;
}

export interface MailLoginRequest {
  /** The mailbox address put in user= of the XOAUTH2 string. */
  user: string;
  accessToken: string;
  signal?: AbortSignal;
}

export interface TestMailRequest extends MailLoginRequest {
  from: string;
  to: string;
  subject: string;
  text: string;
}

export interface MailConnector {
  /** Implicit TLS, CAPABILITY, AUTHENTICATE XOAUTH2 (SASL-IR), EXAMINE INBOX, LOGOUT. */
  imap(req: MailLoginRequest): Promise<MailLoginResult>;
  /** Implicit TLS, CAPA, AUTH XOAUTH2 (two-step), STAT, QUIT. */
  pop(req: MailLoginRequest): Promise<MailLoginResult>;
  /** EHLO, STARTTLS, EHLO, AUTH XOAUTH2 (two-step), QUIT. No MAIL FROM, no DATA. */
  smtp(req: MailLoginRequest): Promise<MailLoginResult>;
  /** Writing action, only behind --send-test-mail. Returns the server's final reply line. */
  sendTestMail(req: TestMailRequest): Promise<{ accepted: boolean; response: string }>;
  /**
   * Optional (additive). Opens a session now, up to the point the token is needed (TLS, greeting, capabilities;
   * SMTP: EHLO, STARTTLS, EHLO), for the next imap()/pop()/smtp() login of that protocol to take over. Sends
   * nothing that writes and no AUTH. Never throws: a failure is kept and reported by that login, as its own.
   */
  preconnect?(protocol: MailProtocol): void;
  /** Optional (additive). Ends the pre-connected sessions no login took (LOGOUT / QUIT), in a bounded time. */
  close?(): Promise<void>;
}

export interface Clients {
  tokens: TokenBroker;
  graph: GraphReader;
  mail: MailConnector;
  /**
   * Optional (additive). Releases what the run left open (pre-connected mail sessions). The check command and
   * fleet mode call it after each run; a run without it leaves nothing that keeps the process alive.
   */
  close?(): Promise<void>;
  /**
   * Optional (additive). Opens HTTPS connections to Entra ID or Graph now, so the TCP and TLS set-up of the first
   * requests there overlaps other work (for Graph, the loading of its client library too). Never throws; a failed
   * connection is the first request's to report.
   */
  preconnectHttps?(service: 'entra' | 'graph', sockets: number): void;
}

/** What the client factory needs from the run: the redactor every client scrubs with, the logger, the run's end. */
export interface ClientDeps {
  redactor: Redactor;
  log: Logger;
  /** Shows the device-code sign-in message (user code and URL) to the person running the tool. */
  onDeviceCode?: (message: string) => void;
  /** The run's end (Ctrl-C, SIGTERM): every request, session and poll in flight ends with it. */
  signal?: AbortSignal;
}
