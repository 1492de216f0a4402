// The resolved, validated configuration of one run.
import type { ProxySettings } from './proxy.js';
import type { Secret } from '../core/secret.js';

export type Cloud = 'global' | 'usgov' | 'usgovdod' | 'china';
export type Activity = 'read-imap' | 'read-pop' | 'send-smtp';
export const ACTIVITIES: readonly Activity[] = ['read-imap', 'read-pop', 'send-smtp'];

/**
 * Which permissions the connector needs: `vendor` (the connector vendor's full prerequisites list, the default),
 * `delegated` (only the delegated scopes its activities use), `app-only` (client credentials; no ROPC).
 */
export type ConnectorProfile = 'vendor' | 'delegated' | 'app-only';
export const CONNECTOR_PROFILES: readonly ConnectorProfile[] = ['vendor', 'delegated', 'app-only'];

export interface HostPort {
  host: string;
  port: number;
}

export interface Endpoints {
  /** e.g. https://login.microsoftonline.com (no tenant, no trailing slash). */
  authorityHost: string;
  /** e.g. https://graph.microsoft.com (no version segment). */
  graphUrl: string;
  /** Exchange Online resource URI for token audiences/scopes, e.g. https://outlook.office365.com */
  exchangeResource: string;
  /** Host of delegated Exchange scopes, e.g. https://outlook.office.com */
  exchangeScopeHost: string;
  imap: HostPort;
  pop: HostPort;
  smtp: HostPort;
}

export type AdminCredential =
  /** clientId: a public client app of the tenant; absent = Microsoft Graph Command Line Tools. */
  { kind: 'device-code'; clientId?: string } | { kind: 'client-secret'; clientId: string; clientSecret: Secret };

export interface AcceptedException {
  id: string;
  reason: string;
  expires?: string;
}

export interface ResolvedConfig {
  cloud: Cloud;
  tenant: string;
  clientId: string;
  clientSecret?: Secret;
  username: string;
  password?: Secret;
  activities: Activity[];
  /** Which permissions the connector needs; the checks judge against it. Default vendor. */
  profile: ConnectorProfile;
  endpoints: Endpoints;
  /** PEM text of extra trusted CAs (--ca-file), added to the system roots. */
  caPem?: string;
  caFile?: string;
  admin?: AdminCredential;
  timeoutMs: number;
  sendTestMail: boolean;
  exceptions: AcceptedException[];
  /** Proxy of the HTTPS requests (and of the mail connections with mail: true); undefined = direct. */
  proxy?: ProxySettings;
}
