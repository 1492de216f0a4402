// A custom tenant from a JSON file (--scenario-file), validated against schemas/tenant.schema.json.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { readInputFile } from '../config/input-file.js';
import { pointerField } from '../config/json-pointer.js';
import { parseJsonText } from '../config/json-syntax.js';
import { ConfigError } from '../core/errors.js';
import type { DemoCredentials, TenantModel } from './model.js';

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
type FormatsPlugin = (ajv: Ajv) => Ajv;
const addFormats =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ??
  (addFormatsModule as unknown as FormatsPlugin);

/** Finds schemas/ whether running from src/ (vitest) or dist/src/ (compiled). */
function schemaPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'schemas', 'tenant.schema.json');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error('schemas/tenant.schema.json not found next to the m365-doctor installation');
}

let validator: ReturnType<Ajv['compile']> | undefined;
function validate(data: unknown): ErrorObject[] {
  if (!validator) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    validator = ajv.compile(JSON.parse(readFileSync(schemaPath(), 'utf8')) as object);
  }
  return validator(data) ? [] : [...(validator.errors ?? [])];
}

/** "tenant.users[0].mailbox" from ajv's JSON pointer "/tenant/users/0/mailbox". */
function fieldName(pointer: string, extra?: string): string {
  return pointerField(pointer, extra, '(root)');
}

function describe(e: ErrorObject): { field: string; problem: string } {
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'required')
    return { field: fieldName(e.instancePath, String(params.missingProperty)), problem: 'is missing' };
  if (e.keyword === 'additionalProperties') {
    return { field: fieldName(e.instancePath, String(params.additionalProperty)), problem: 'is not a known property' };
  }
  if (e.keyword === 'enum')
    return {
      field: fieldName(e.instancePath),
      problem: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
    };
  return { field: fieldName(e.instancePath), problem: e.message ?? 'is invalid' };
}

/** Parse and validate a tenant file's text; `source` names it in errors. */
export function parseScenarioFile(text: string, source: string): { tenant: TenantModel; credentials: DemoCredentials } {
  const data = parseJsonText(
    text,
    (problem) => new ConfigError('scenario-file', `${source} ${problem}`, 'Fix the JSON syntax of the file'),
  );
  const errors = validate(data);
  if (errors.length) {
    // Prefer the most specific error: oneOf/anyOf wrappers repeat what their branches said.
    const main = errors.find((e) => !['oneOf', 'anyOf', 'if'].includes(e.keyword)) ?? errors[0];
    const { field, problem } = describe(main);
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : '';
    throw new ConfigError(
      `scenario-file ${field}`,
      `${problem}${more} in ${source}`,
      'Correct the field; schemas/tenant.schema.json describes every property',
    );
  }
  const parsed = data as { tenant: TenantModel; credentials: DemoCredentials };
  // JSON cannot hold Infinity: -1 stands for "throttle every request".
  if (parsed.tenant.graphThrottle?.requests === -1) parsed.tenant.graphThrottle.requests = Infinity;
  return { tenant: parsed.tenant, credentials: parsed.credentials };
}

/** Load a custom tenant + credentials JSON file. Every failure is a ConfigError naming the file or the bad field. */
export function loadScenarioFile(path: string): { tenant: TenantModel; credentials: DemoCredentials } {
  const { text } = readInputFile(path, 'scenario', '--scenario-file', 'Pass the path of a readable tenant JSON file');
  return parseScenarioFile(text, path);
}
