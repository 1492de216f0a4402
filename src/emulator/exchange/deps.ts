// What the emulated Exchange Online mail servers need from the emulator that hosts them.
import type { KeyObject } from 'node:crypto';
import type { TenantModel } from '../model.js';
import type { RequestLog } from '../request-log.js';

/** Ways a reliability test can make a mail server misbehave. */
export interface ExchangeFaults {
  /** Replace the greeting with bytes no client can parse, cut it short, or send none at all. */
  greeting?: 'garbage' | 'truncated' | 'none';
  /** Send every server byte slowly, at most this many bytes per second. */
  dripBytesPerSecond?: number;
  /** Reset the TCP connection right after the greeting. */
  resetAfterGreeting?: boolean;
  /** Answer the first command with a line longer than any client should accept. */
  oversizedLine?: boolean;
  /** false: a relay or proxy in front of Exchange that neither lists nor accepts XOAUTH2. */
  offerXoauth2?: boolean;
  /** SMTP, false: a relay that does not implement STARTTLS (RFC 3207), so AUTH would go in clear. */
  starttls?: boolean;
  /** The mailbox cannot be opened for now: EXAMINE / STAT fail with the standard "temporarily unavailable" answer. */
  mailboxUnavailable?: boolean;
}

export interface ExchangeDeps {
  /** Read on every login, so a scenario applied after start takes effect. */
  tenant: () => TenantModel;
  /** PEM key and certificate chain the servers present. */
  tls: { key: string; cert: string };
  /** Public key that verifies the access tokens the emulated Entra signs. */
  publicKey: KeyObject;
  log: RequestLog;
  host: string;
  /** 0 = ephemeral. */
  port: number;
  /** Exchange front-end name shown in greetings and SMTP replies, e.g. "BN0PR04CA0001.outlook.office365.com". */
  serverName: string;
  faults?: ExchangeFaults;
  /** Idle time after which a silent client is dropped; Exchange-like 60 s when absent. */
  idleTimeoutMs?: number;
}

/** A running mail server. close() also destroys open client sockets. */
export interface RunningServer {
  port: number;
  close(): Promise<void>;
}
