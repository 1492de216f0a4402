// Loads a config file, validates it against schemas/config.schema.json and turns it into an input layer.
import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { isVariableName, unsetEnvProblem } from './env-name.js';
import { ConfigError } from '../core/errors.js';
import { readInputFile } from './input-file.js';
import { pointerField } from './json-pointer.js';
import { jsonKeyName, parseJsonText } from './json-syntax.js';
import { packageRoot } from './package-root.js';
import type { InputKey, InputLayer, RawInputs } from './inputs.js';
import type { AcceptedException } from './types.js';

type SecretRef = string | { env: string };

/** The file's shape after schema validation. */
interface ConfigFile {
  tenant?: string;
  clientId?: string;
  clientSecret?: SecretRef;
  username?: string;
  password?: SecretRef;
  activities?: string[];
  profile?: string;
  cloud?: string;
  endpoints?: { authorityHost?: string; graphUrl?: string; imap?: string; pop?: string; smtp?: string };
  caFile?: string;
  timeoutMs?: number;
  admin?: 'device-code' | { clientId: string; clientSecret: SecretRef };
  sendTestMail?: boolean;
  exceptions?: AcceptedException[];
  proxy?: string;
  noProxy?: string;
  mailProxy?: boolean;
}

/** Where each field sits in a config file (and in a fleet targets file, which nests them alike), for messages. */
export const FILE_PATH: Partial<Record<InputKey, string>> = {
  authorityHost: 'endpoints.authorityHost',
  graphUrl: 'endpoints.graphUrl',
  imap: 'endpoints.imap',
  pop: 'endpoints.pop',
  smtp: 'endpoints.smtp',
  adminClientId: 'admin.clientId',
  adminClientSecret: 'admin.clientSecret',
};

let validator: ReturnType<Ajv['compile']> | undefined;

function validate(data: unknown): ErrorObject[] {
  if (!validator) {
    const schema = JSON.parse(readFileSync(join(packageRoot(), 'schemas', 'config.schema.json'), 'utf8')) as object;
    validator = new Ajv({ allErrors: true, verbose: true, strict: false }).compile(schema);
  }
  return validator(data) ? [] : [...(validator.errors ?? [])];
}

/** The error of a secret whose environment variable is not set. */
export function unsetSecretError(where: string, envName: string): ConfigError {
  const { problem, fix } = unsetEnvProblem(envName);
  return new ConfigError(where, problem, fix);
}

/** A file secret ({ "env": NAME }) whose variable is not set: the field's label and the variable. */
export interface UnsetSecret {
  label: string;
  env: string;
}

/**
 * `unset`, when given, collects secrets whose environment variable is not set instead of failing, so a
 * terminal run can ask for them (and fail with unsetSecretError when it does not get them).
 */
export function fileLayer(
  path: string,
  env: NodeJS.ProcessEnv,
  unset?: Partial<Record<'clientSecret' | 'password' | 'adminClientSecret', UnsetSecret>>,
): InputLayer {
  const name = basename(path);
  const where = (field: string) => `${field} in ${name}`;
  const { text, stats } = readInputFile(path, 'config', '--config', 'Give the path of an m365-doctor JSON config file');
  const data = parseJsonText(text, (problem) => new ConfigError(`--config ${name}`, problem, 'Fix the JSON syntax'));
  const invalid = describe(validate(data), where);
  if (invalid) throw invalid;

  const file = data as ConfigFile;
  const secret = (
    ref: SecretRef | undefined,
    field: string,
    key: 'clientSecret' | 'password' | 'adminClientSecret',
  ): string | undefined => {
    if (ref === undefined || typeof ref === 'string') return ref;
    const value = env[ref.env];
    if (!isVariableName(ref.env) || value === undefined || value === '') {
      if (unset && isVariableName(ref.env)) {
        unset[key] = { label: where(field), env: ref.env };
        return undefined;
      }
      const { problem, fix } = unsetEnvProblem(ref.env);
      throw new ConfigError(where(field), problem, fix);
    }
    return value;
  };
  const values: RawInputs = {
    tenant: file.tenant,
    clientId: file.clientId,
    clientSecret: secret(file.clientSecret, 'clientSecret', 'clientSecret'),
    username: file.username,
    password: secret(file.password, 'password', 'password'),
    activities: file.activities,
    profile: file.profile,
    cloud: file.cloud,
    ...file.endpoints,
    // A relative CA path means relative to the config file, so the file works from any directory.
    caFile: file.caFile === undefined ? undefined : resolve(dirname(path), file.caFile),
    timeoutMs: file.timeoutMs,
    sendTestMail: file.sendTestMail,
    exceptions: file.exceptions,
    proxy: file.proxy,
    noProxy: file.noProxy,
    mailProxy: file.mailProxy,
  };
  if (file.admin === 'device-code') values.admin = 'device-code';
  else if (file.admin) {
    values.adminClientId = file.admin.clientId;
    values.adminClientSecret = secret(file.admin.clientSecret, 'admin.clientSecret', 'adminClientSecret');
  }
  return {
    values,
    label: (key) => where(FILE_PATH[key] ?? key),
    warnings: exposedSecretWarnings(path, stats.mode, file),
  };
}

/**
 * A secret written into the file (not an { "env": ... } reference) that the group or others may read is as
 * good as shared: say so, with the fix. Windows has no such mode bits.
 */
function exposedSecretWarnings(path: string, mode: number, file: ConfigFile): string[] {
  if (process.platform === 'win32' || (mode & 0o077) === 0) return [];
  const plain = [
    ['clientSecret', file.clientSecret],
    ['password', file.password],
    ['admin.clientSecret', typeof file.admin === 'object' ? file.admin.clientSecret : undefined],
  ]
    .filter(([, ref]) => typeof ref === 'string')
    .map(([field]) => field);
  if (!plain.length) return [];
  const octal = (mode & 0o777).toString(8).padStart(3, '0');
  const who = mode & 0o007 ? 'everyone on this machine' : 'its group';
  return [
    `warning: --config ${basename(path)} holds ${plain.join(' and ')} as plain text and ${who} can read it (mode ${octal}); ` +
      `run chmod 600 ${path}, or better, write { "env": "NAME" } and export the secret`,
  ];
}

/** Picks the most telling schema error and names its field; undefined when the schema found none. */
function describe(errors: ErrorObject[], where: (field: string) => string): ConfigError | undefined {
  // oneOf/anyOf summaries say little; the branch errors under them name the real problem.
  const concrete = errors.filter((e) => !['oneOf', 'anyOf', 'if'].includes(e.keyword));
  const rank = (e: ErrorObject) => ['additionalProperties', 'required', 'type', 'enum', 'const'].indexOf(e.keyword);
  const pick = [...(concrete.length ? concrete : errors)].sort(
    (a, b) => (rank(a) === -1 ? 99 : rank(a)) - (rank(b) === -1 ? 99 : rank(b)),
  )[0];
  if (!pick) return undefined;
  const path = pointerField(pick.instancePath, undefined, '');
  const under = (key: string) => pointerField(pick.instancePath, key, '');
  const description = (pick.parentSchema as { description?: string } | undefined)?.description;
  switch (pick.keyword) {
    case 'additionalProperties': {
      const key = String((pick.params as { additionalProperty: string }).additionalProperty);
      // A blank or odd key would leave the field name unreadable; such a key is named by its JSON spelling.
      return new ConfigError(
        where(under(jsonKeyName(key))),
        'is not a known setting',
        'Remove it or fix its spelling; schemas/config.schema.json lists every setting',
      );
    }
    case 'required': {
      const key = String((pick.params as { missingProperty: string }).missingProperty);
      return new ConfigError(where(under(key)), 'is missing', 'Add it');
    }
    case 'enum':
      return new ConfigError(
        where(path || '(top level)'),
        `must be one of ${(pick.params as { allowedValues: unknown[] }).allowedValues
          .map((v) => JSON.stringify(v))
          .join(', ')}`,
        description ?? 'Use one of the listed values',
      );
    default:
      return new ConfigError(
        where(path || '(top level)'),
        `${pick.message ?? 'is invalid'}${pick.keyword === 'pattern' ? ' (wrong form)' : ''}`,
        description ?? 'See schemas/config.schema.json',
      );
  }
}
