// Loads a fleet targets file (schemas/targets.schema.json): validates it, resolves secret references and
// turns each target into input layers (target, then defaults) for resolveConfig.
import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { packageRoot } from '../config/package-root.js';
import type { InputLayer, RawInputs } from '../config/inputs.js';
import type { AcceptedException } from '../config/types.js';
import { isVariableName, unsetEnvProblem } from '../config/env-name.js';
import { ConfigError } from '../core/errors.js';
import { FILE_PATH } from '../config/file.js';
import { readInputFile } from '../config/input-file.js';
import { pointerField } from '../config/json-pointer.js';
import { jsonKeyName, parseJsonText } from '../config/json-syntax.js';

type SecretRef = { env: string } | { file: string };

/** One entry of `targets` or `defaults` after schema validation. */
interface TargetSettings {
  name?: string;
  tenant?: string;
  clientId?: string;
  clientSecret?: SecretRef;
  username?: string;
  password?: SecretRef;
  activities?: string[];
  cloud?: string;
  endpoints?: { authorityHost?: string; graphUrl?: string; imap?: string; pop?: string; smtp?: string };
  caFile?: string;
  timeoutMs?: number;
  admin?: { clientId: string; clientSecret: SecretRef };
  exceptions?: AcceptedException[];
}

export interface FleetTargetSpec {
  /** Position in the targets file (0-based): the stable order of every report and of --shard. */
  index: number;
  name: string;
  /** Highest precedence first: the target's own values, then the file's defaults. */
  layers: InputLayer[];
}

const SECRET_FIELDS = ['clientSecret', 'password'] as const;

let validator: ReturnType<Ajv['compile']> | undefined;

function schemaErrors(data: unknown): ErrorObject[] {
  if (!validator) {
    const schema = JSON.parse(readFileSync(join(packageRoot(), 'schemas', 'targets.schema.json'), 'utf8')) as object;
    validator = new Ajv({ allErrors: true, strict: false }).compile(schema);
  }
  return validator(data) ? [] : [...(validator.errors ?? [])];
}

export function loadTargetsFile(path: string, env: NodeJS.ProcessEnv): FleetTargetSpec[] {
  const file = basename(path);
  const { text } = readInputFile(path, 'targets', '--targets', 'Give the path of a JSON targets file');
  const data = parseJsonText(text, (problem) => new ConfigError(`--targets ${file}`, problem, 'Fix the JSON syntax'));
  // Inline secrets get their own message: the schema error alone ("must be object") would not say why.
  rejectInlineSecrets(data, file);
  const invalid = describe(schemaErrors(data), file);
  if (invalid) throw invalid;

  const doc = data as { defaults?: TargetSettings; targets: TargetSettings[] };
  if (doc.defaults?.name !== undefined) {
    throw new ConfigError(
      `defaults.name in ${file}`,
      'cannot be shared',
      'Give "name" to each target instead (names must be unique)',
    );
  }
  const readSecret = secretReader(dirname(path), env, file);
  const defaults = doc.defaults ?? {};
  const defaultsLayer = layerOf(defaults, (key) => `defaults.${key} in ${file}`, readSecret, dirname(path));
  const seen = new Map<string, number>();
  return doc.targets.map((t, index) => {
    const name = t.name ?? t.username ?? defaults.username ?? `target ${index + 1}`;
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      throw new ConfigError(
        `targets[${index}].name in ${file}`,
        `"${name}" is already the name of targets[${earlier}]`,
        'Give every target a unique "name" (reports and JUnit suites are named by it)',
      );
    }
    seen.set(name, index);
    const layer = layerOf(t, (key) => `targets[${index}].${key} in ${file}`, readSecret, dirname(path));
    return { index, name, layers: [layer, defaultsLayer] };
  });
}

function layerOf(
  s: TargetSettings,
  label: (key: string) => string,
  readSecret: (ref: SecretRef, field: string) => string,
  baseDir: string,
): InputLayer {
  const values: RawInputs = {
    tenant: s.tenant,
    clientId: s.clientId,
    username: s.username,
    activities: s.activities,
    cloud: s.cloud,
    ...s.endpoints,
    clientSecret: s.clientSecret && readSecret(s.clientSecret, label('clientSecret')),
    password: s.password && readSecret(s.password, label('password')),
    caFile: s.caFile === undefined ? undefined : resolve(baseDir, s.caFile),
    timeoutMs: s.timeoutMs,
    exceptions: s.exceptions,
  };
  if (s.admin) {
    values.adminClientId = s.admin.clientId;
    values.adminClientSecret = readSecret(s.admin.clientSecret, label('admin.clientSecret'));
  }
  return { values, label: (key) => label(FILE_PATH[key] ?? key) };
}

/** Reads { env } and { file } references; a file shared by many targets is read once. */
function secretReader(baseDir: string, env: NodeJS.ProcessEnv, file: string) {
  const files = new Map<string, string>();
  return (ref: SecretRef, field: string): string => {
    if ('env' in ref) {
      const value = env[ref.env];
      if (!isVariableName(ref.env) || value === undefined || value === '') {
        const { problem, fix } = unsetEnvProblem(ref.env);
        throw new ConfigError(field, problem, fix);
      }
      return value;
    }
    const path = resolve(baseDir, ref.file);
    let value = files.get(path);
    if (value === undefined) {
      value = readInputFile(
        path,
        'secretFile',
        field,
        `Check the path (relative to ${file}) and its permissions`,
      ).text.replace(/\r?\n$/, '');
      if (!value) throw new ConfigError(field, `refers to ${ref.file}, which is empty`, 'Put the secret in the file');
      files.set(path, value);
    }
    return value;
  };
}

/** A secret written as a plain string would end up in repositories and CI logs: refuse it by name. */
function rejectInlineSecrets(data: unknown, file: string): void {
  if (!data || typeof data !== 'object') return;
  const doc = data as { defaults?: unknown; targets?: unknown };
  const entries: Array<[string, unknown]> = [['defaults', doc.defaults]];
  if (Array.isArray(doc.targets)) doc.targets.forEach((t, i) => entries.push([`targets[${i}]`, t]));
  for (const [where, entry] of entries) {
    if (!entry || typeof entry !== 'object') continue;
    const e = entry as Record<string, unknown>;
    const fields: Array<[string, unknown]> = SECRET_FIELDS.map((k) => [k, e[k]]);
    if (e.admin && typeof e.admin === 'object')
      fields.push(['admin.clientSecret', (e.admin as Record<string, unknown>).clientSecret]);
    for (const [key, value] of fields) {
      if (typeof value === 'string') {
        throw new ConfigError(
          `${where}.${key} in ${file}`,
          'is an inline secret, which a targets file must not hold',
          'Write { "env": "VARIABLE" } or { "file": "path/to/secret" } instead',
        );
      }
    }
  }
}

/** The most telling schema error with its field named; undefined when the schema found none. */
function describe(errors: ErrorObject[], file: string): ConfigError | undefined {
  // oneOf/allOf summaries say little; the branch errors under them name the real problem.
  const concrete = errors.filter((e) => !['oneOf', 'anyOf', 'allOf', 'if'].includes(e.keyword));
  const pick = (concrete.length ? concrete : errors)[0];
  if (!pick) return undefined;
  const path = pointerField(pick.instancePath, undefined, '');
  if (pick.keyword === 'additionalProperties') {
    const key = String((pick.params as { additionalProperty: string }).additionalProperty);
    return new ConfigError(
      `${pointerField(pick.instancePath, jsonKeyName(key), '')} in ${file}`,
      'is not a known setting',
      'Remove it or fix its spelling; schemas/targets.schema.json lists every setting',
    );
  }
  if (pick.keyword === 'required') {
    const key = String((pick.params as { missingProperty: string }).missingProperty);
    return new ConfigError(`${pointerField(pick.instancePath, key, '')} in ${file}`, 'is missing', 'Add it');
  }
  return new ConfigError(
    `${path || '(top level)'} in ${file}`,
    pick.message ?? 'is invalid',
    'See schemas/targets.schema.json',
  );
}
