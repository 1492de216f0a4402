// Raw configuration values as one source (flags, environment, config file, demo tenant) gives them.
import type { AcceptedException } from './types.js';

/** Every configurable field, unvalidated. Secrets are plain strings here and wrapped on resolution. */
export interface RawInputs {
  tenant?: string;
  clientId?: string;
  clientSecret?: string;
  username?: string;
  password?: string;
  activities?: string[];
  profile?: string;
  cloud?: string;
  authorityHost?: string;
  graphUrl?: string;
  imap?: string;
  pop?: string;
  smtp?: string;
  caFile?: string;
  /** PEM text given directly (the demo tenant's CA); caFile is read otherwise. */
  caPem?: string;
  timeoutMs?: string | number;
  admin?: string;
  adminClientId?: string;
  adminClientSecret?: string;
  sendTestMail?: boolean;
  /** Proxy URL (--proxy, config `proxy`, HTTPS_PROXY / HTTP_PROXY); may hold credentials. */
  proxy?: string;
  /** Hosts that bypass the proxy (NO_PROXY, config `noProxy`). */
  noProxy?: string;
  /** IMAP/POP/SMTP through the proxy too (--mail-proxy). */
  mailProxy?: boolean;
  exceptions?: AcceptedException[];
}

export type InputKey = keyof RawInputs;

export const SECRET_KEYS = ['clientSecret', 'password', 'adminClientSecret'] as const satisfies readonly InputKey[];

/** One source of values and how it names a field in error messages. */
export interface InputLayer {
  values: RawInputs;
  /** e.g. "--client-id", "M365_DOCTOR_CLIENT_ID", "clientId in m365-doctor.json". */
  label(key: InputKey): string;
  /** Warnings about the source itself, e.g. a config file holding a plain secret that others can read. */
  warnings?: string[];
}

/** Flag name of each field, for messages ("--client-id"). */
export const FLAG_OF: Record<InputKey, string> = {
  tenant: '--tenant',
  clientId: '--client-id',
  clientSecret: '--client-secret',
  username: '--username',
  password: '--password',
  activities: '--activities',
  profile: '--profile',
  cloud: '--cloud',
  authorityHost: '--authority-host',
  graphUrl: '--graph-url',
  imap: '--imap',
  pop: '--pop',
  smtp: '--smtp',
  caFile: '--ca-file',
  caPem: '--ca-file',
  timeoutMs: '--timeout',
  admin: '--admin',
  adminClientId: '--admin-client-id',
  adminClientSecret: '--admin-client-secret',
  sendTestMail: '--send-test-mail',
  exceptions: 'exceptions',
  proxy: '--proxy',
  noProxy: 'NO_PROXY',
  mailProxy: '--mail-proxy',
};
