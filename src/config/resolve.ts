// Merges input layers (first layer wins: flags, env, file, demo, defaults) into one validated ResolvedConfig.
import { ConfigError } from '../core/errors.js';
import { readInputFile } from './input-file.js';
import { Secret } from '../core/secret.js';
import type { Redactor } from '../core/redact.js';
import { normalizeProxyUrl, type ProxySettings } from './proxy.js';
import { CLOUDS } from '../m365/clouds.js';
import {
  ACTIVITIES,
  CONNECTOR_PROFILES,
  type Activity,
  type ConnectorProfile,
  type AdminCredential,
  type Cloud,
  type HostPort,
  type ResolvedConfig,
} from './types.js';
import type { InputKey, InputLayer, RawInputs } from './inputs.js';
import { SECRET_KEYS } from './inputs.js';
import {
  guidProblem,
  looksLikePemCertificate,
  parseHostPort,
  parseHttpsUrl,
  positiveIntProblem,
  tenantProblem,
  upnProblem,
} from './validate.js';

export const DEFAULT_TIMEOUT_MS = 15000;

/** Where each resolved field came from, e.g. { tenant: "M365_DOCTOR_TENANT" }. */
export type Sources = Partial<Record<InputKey, string>>;

export interface Resolution {
  config: ResolvedConfig;
  sources: Sources;
}

export interface ResolveOptions {
  /**
   * Some layers are still to come (the demo tenant starts later): check each value's shape, but not
   * pairs that a later layer may complete (an admin secret whose client id the demo supplies).
   */
  partial?: boolean;
}

/**
 * Resolves the layers, highest precedence first. Every secret value is registered with the redactor
 * before anything can fail, so even error messages cannot show it.
 */
export function resolveConfig(layers: InputLayer[], redactor: Redactor, opts: ResolveOptions = {}): Resolution {
  for (const layer of layers) for (const key of SECRET_KEYS) redactor.add(layer.values[key]);

  const sources: Sources = {};
  const pick = <K extends InputKey>(key: K): RawInputs[K] | undefined => {
    for (const layer of layers) {
      const value = layer.values[key];
      if (value !== undefined) {
        sources[key] = layer.label(key);
        return value;
      }
    }
    return undefined;
  };
  const field = (key: InputKey) => sources[key] ?? key;
  const check = (key: InputKey, problem: string | undefined, fix: string) => {
    if (problem) throw new ConfigError(field(key), problem, fix);
  };

  const cloudRaw = pick('cloud') ?? 'global';
  if (!(cloudRaw in CLOUDS)) {
    throw new ConfigError(
      field('cloud'),
      `"${cloudRaw}" is not a cloud`,
      `Use one of ${Object.keys(CLOUDS).join(', ')}`,
    );
  }
  const cloud = cloudRaw as Cloud;

  const tenant = pick('tenant')?.trim() ?? '';
  if (tenant)
    check('tenant', tenantProblem(tenant), 'Give the tenant id or a verified domain, e.g. contoso.onmicrosoft.com');
  const clientId = pick('clientId')?.trim() ?? '';
  if (clientId)
    check('clientId', guidProblem(clientId), 'Copy the Application (client) ID from the app registration overview');
  const username = pick('username')?.trim() ?? '';
  if (username) check('username', upnProblem(username), 'Give the user principal name, e.g. mailbox@contoso.com');

  const activities = resolveActivities(pick('activities'), field('activities'));
  const profileRaw = pick('profile')?.trim() ?? 'vendor';
  if (!(CONNECTOR_PROFILES as readonly string[]).includes(profileRaw)) {
    throw new ConfigError(
      field('profile'),
      `"${profileRaw}" is not a connector profile`,
      `Use one of ${CONNECTOR_PROFILES.join(', ')}`,
    );
  }
  const profile = profileRaw as ConnectorProfile;

  const base = CLOUDS[cloud].endpoints;
  const url = (key: 'authorityHost' | 'graphUrl', fallback: string): string => {
    const raw = pick(key);
    if (raw === undefined) return fallback;
    const parsed = parseHttpsUrl(raw);
    if (typeof parsed !== 'string')
      throw new ConfigError(field(key), parsed.problem, 'Give an https URL such as https://host:port');
    return parsed;
  };
  const hostPort = (key: 'imap' | 'pop' | 'smtp', fallback: HostPort): HostPort => {
    const raw = pick(key);
    if (raw === undefined) return fallback;
    const parsed = parseHostPort(raw);
    if (typeof parsed === 'string')
      throw new ConfigError(field(key), parsed, 'Give HOST:PORT, e.g. outlook.office365.com:993');
    return parsed;
  };
  const endpoints = {
    ...base,
    authorityHost: url('authorityHost', base.authorityHost),
    graphUrl: url('graphUrl', base.graphUrl),
    imap: hostPort('imap', base.imap),
    pop: hostPort('pop', base.pop),
    smtp: hostPort('smtp', base.smtp),
  };

  const { caPem, caFile } = resolveCa(pick('caPem'), pick('caFile'), field('caFile'));

  const timeoutRaw = pick('timeoutMs') ?? DEFAULT_TIMEOUT_MS;
  check('timeoutMs', positiveIntProblem(timeoutRaw), 'Give the time limit per check in milliseconds, e.g. 15000');

  const proxy = resolveProxy(pick('proxy'), pick('noProxy'), pick('mailProxy'), field, redactor);

  const clientSecret = pick('clientSecret');
  const password = pick('password');
  return {
    config: {
      cloud,
      tenant,
      clientId,
      username,
      activities,
      profile,
      endpoints,
      caPem,
      caFile,
      clientSecret: clientSecret === undefined ? undefined : new Secret(clientSecret),
      password: password === undefined ? undefined : new Secret(password),
      admin: resolveAdmin(
        pick('admin'),
        pick('adminClientId'),
        pick('adminClientSecret'),
        field,
        opts.partial ?? false,
      ),
      timeoutMs: Number(timeoutRaw),
      sendTestMail: pick('sendTestMail') ?? false,
      exceptions: pick('exceptions') ?? [],
      ...(proxy ? { proxy } : {}),
    },
    sources,
  };
}

function resolveActivities(raw: string[] | undefined, field: string): Activity[] {
  if (raw === undefined) return [...ACTIVITIES];
  if (raw.length === 0)
    throw new ConfigError(field, 'names no activity', `Give one or more of ${ACTIVITIES.join(', ')}`);
  for (const a of raw) {
    if (!ACTIVITIES.includes(a as Activity)) {
      throw new ConfigError(field, `"${a}" is not an activity`, `Use one or more of ${ACTIVITIES.join(', ')}`);
    }
  }
  // Keep the catalog order so reports read the same whatever order the user typed.
  return ACTIVITIES.filter((a) => raw.includes(a));
}

function resolveCa(
  pem: string | undefined,
  file: string | undefined,
  field: string,
): { caPem?: string; caFile?: string } {
  if (pem !== undefined) return { caPem: pem, caFile: file };
  if (file === undefined) return {};
  const { text } = readInputFile(file, 'caFile', field, 'Give a readable PEM file of CA certificates');
  if (!looksLikePemCertificate(text)) {
    throw new ConfigError(
      field,
      `${file} holds no PEM certificate`,
      'Give a file with -----BEGIN CERTIFICATE----- blocks',
    );
  }
  return { caPem: text, caFile: file };
}

function resolveAdmin(
  mode: string | undefined,
  id: string | undefined,
  secret: string | undefined,
  field: (key: InputKey) => string,
  partial: boolean,
): AdminCredential | undefined {
  if (mode !== undefined && mode !== 'device-code') {
    throw new ConfigError(
      field('admin'),
      `"${mode}" is not an admin sign-in mode`,
      'Use --admin device-code, or --admin-client-id with a secret',
    );
  }
  if (id !== undefined) {
    const problem = guidProblem(id.trim());
    if (problem)
      throw new ConfigError(field('adminClientId'), problem, 'Give the client id of the directory-reader app');
    if (secret === undefined) {
      if (partial) return undefined;
      throw new ConfigError(
        field('adminClientId'),
        'is set but the admin app has no secret',
        'Give it with M365_DOCTOR_ADMIN_CLIENT_SECRET or --admin-client-secret-stdin',
      );
    }
    return { kind: 'client-secret', clientId: id.trim(), clientSecret: new Secret(secret) };
  }
  if (secret !== undefined) {
    if (partial) return undefined;
    throw new ConfigError(field('adminClientSecret'), 'is set but no admin client id is', 'Add --admin-client-id');
  }
  return mode === 'device-code' ? { kind: 'device-code' } : undefined;
}

function resolveProxy(
  raw: string | undefined,
  noProxy: string | undefined,
  mail: boolean | undefined,
  field: (key: InputKey) => string,
  redactor: Redactor,
): ProxySettings | undefined {
  if (raw === undefined) {
    if (mail)
      throw new ConfigError(field('mailProxy'), 'is set but no proxy is', 'Give --proxy URL (or set HTTPS_PROXY)');
    return undefined;
  }
  registerProxyCredentials(raw, redactor);
  return {
    url: normalizeProxyUrl(raw.trim(), field('proxy')),
    noProxy: noProxy ?? '',
    mail: mail ?? false,
    source: field('proxy'),
  };
}

/** The proxy's password (as typed, decoded, and inside the Proxy-Authorization header) is a secret of the run. */
function registerProxyCredentials(raw: string, redactor: Redactor): void {
  const userinfo = /^[a-z][a-z0-9+.-]*:\/\/([^@/]*)@/i.exec(raw.trim())?.[1];
  if (userinfo === undefined) return;
  const [user = '', pass = ''] = userinfo.split(/:(.*)/s);
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  for (const v of [pass, decode(pass), `${decode(user)}:${decode(pass)}`]) redactor.add(v);
}
