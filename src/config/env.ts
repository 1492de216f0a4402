// Reads the M365_DOCTOR_* environment variables into one input layer.
import { proxyFromEnv } from './proxy.js';
import { SECRET_KEYS, type InputKey, type InputLayer, type RawInputs } from './inputs.js';

export const ENV_PREFIX = 'M365_DOCTOR_';

/** Environment variable of each field that may come from the environment. */
export const ENV_OF: Partial<Record<InputKey, string>> = {
  tenant: 'M365_DOCTOR_TENANT',
  clientId: 'M365_DOCTOR_CLIENT_ID',
  clientSecret: 'M365_DOCTOR_CLIENT_SECRET',
  username: 'M365_DOCTOR_USERNAME',
  password: 'M365_DOCTOR_PASSWORD',
  activities: 'M365_DOCTOR_ACTIVITIES',
  profile: 'M365_DOCTOR_PROFILE',
  cloud: 'M365_DOCTOR_CLOUD',
  authorityHost: 'M365_DOCTOR_AUTHORITY_HOST',
  graphUrl: 'M365_DOCTOR_GRAPH_URL',
  imap: 'M365_DOCTOR_IMAP',
  pop: 'M365_DOCTOR_POP',
  smtp: 'M365_DOCTOR_SMTP',
  caFile: 'M365_DOCTOR_CA_FILE',
  timeoutMs: 'M365_DOCTOR_TIMEOUT',
  admin: 'M365_DOCTOR_ADMIN',
  adminClientId: 'M365_DOCTOR_ADMIN_CLIENT_ID',
  adminClientSecret: 'M365_DOCTOR_ADMIN_CLIENT_SECRET',
};

export function envLayer(env: NodeJS.ProcessEnv): InputLayer {
  const values: RawInputs = {};
  for (const [key, name] of Object.entries(ENV_OF) as [InputKey, string][]) {
    const raw = env[name];
    // An empty variable counts as unset, as shells export empty values easily.
    if (raw === undefined || raw.trim() === '') continue;
    if (key === 'activities') values.activities = splitList(raw);
    // Secrets are taken verbatim: white space may be part of them (the config check warns about it).
    else (values as Record<string, unknown>)[key] = (SECRET_KEYS as readonly string[]).includes(key) ? raw : raw.trim();
  }
  // The proxy variables every tool reads, not M365_DOCTOR_* ones: a corporate shell already has them.
  const proxy = proxyFromEnv(env);
  if (proxy.url) values.proxy = proxy.url;
  if (proxy.noProxy) values.noProxy = proxy.noProxy;
  const labels: Partial<Record<InputKey, string>> = {
    ...ENV_OF,
    proxy: proxy.source,
    noProxy: env.no_proxy?.trim() ? 'no_proxy' : 'NO_PROXY',
  };
  return { values, label: (key) => labels[key] ?? key };
}

/** "a, b,c" -> ["a","b","c"] */
export function splitList(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
