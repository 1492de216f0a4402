// Reads a JSON report written by `check --report json:FILE` (the support bundle) and validates it against
// schemas/report.schema.json, so a re-render never meets a shape it does not know.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { readInputFile } from '../config/input-file.js';
import { pointerField } from '../config/json-pointer.js';
import { parseJsonText } from '../config/json-syntax.js';
import { packageRoot } from '../config/package-root.js';
import { ConfigError } from '../core/errors.js';
import type { RunReport } from '../core/result.js';

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
type FormatsPlugin = (ajv: Ajv) => Ajv;
const addFormats =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ??
  (addFormatsModule as unknown as FormatsPlugin);

const FIX = 'Give the file written by "m365-doctor check --report json:FILE" (or --format json)';

let validator: ReturnType<Ajv['compile']> | undefined;

function validate(data: unknown): ErrorObject[] {
  if (!validator) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    validator = ajv.compile(
      JSON.parse(readFileSync(join(packageRoot(), 'schemas', 'report.schema.json'), 'utf8')) as object,
    );
  }
  return validator(data) ? [] : [...(validator.errors ?? [])];
}

/** Loads and validates a saved report; every problem is a ConfigError (exit 2) naming the file and the field. */
export function loadSavedReport(path: string, flag = 'report'): RunReport {
  const name = basename(path);
  const { text } = readInputFile(path, 'report', flag, FIX);
  return parseSavedReport(text, name);
}

export function parseSavedReport(text: string, name: string): RunReport {
  const data = parseJsonText(text.replace(/^\uFEFF/, ''), (problem) => new ConfigError(`report ${name}`, problem, FIX));
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version > 2) {
    throw new ConfigError(
      `report ${name}`,
      `has schemaVersion ${version}, newer than this m365-doctor reads (2)`,
      'Re-render it with the m365-doctor version that wrote it (report.tool.version), or a newer one',
    );
  }
  const errors = validate(data);
  if (errors.length) {
    throw new ConfigError(`report ${name}`, `is not an m365-doctor report: ${describeErrors(errors)}`, FIX);
  }
  return fromJson(data as RunReport);
}

/**
 * The JSON report writes absent code/remediation/causedBy as null; the result model leaves them out. Its derived
 * sections (notRun, rootCauses) are dropped: reporters derive them from the checks, for version 1 and 2 alike.
 */
function fromJson(report: RunReport & { notRun?: unknown; rootCauses?: unknown }): RunReport {
  const { notRun: _n, rootCauses: _r, ...rest } = report;
  const checks = rest.checks.map((c) => {
    const out = { ...c };
    if (out.code === null) delete out.code;
    if (out.remediation === null) delete out.remediation;
    if ((out.causedBy as string | null | undefined) === null) delete out.causedBy;
    return out;
  });
  return { ...rest, checks };
}

/** The first few schema problems, as "checks[3].status must be one of ..." (if/then wrappers left out). */
export function describeErrors(errors: ErrorObject[]): string {
  const lines = errors.filter((e) => e.keyword !== 'if').map(describeError);
  const unique = [...new Set(lines)];
  return unique.slice(0, 3).join('; ') + (unique.length > 3 ? `; and ${unique.length - 3} more` : '');
}

function describeError(e: ErrorObject): string {
  const params = e.params as Record<string, unknown>;
  const at = (extra?: string) => fieldName(e.instancePath, extra);
  switch (e.keyword) {
    case 'required':
      return `${at(String(params.missingProperty))} is missing`;
    case 'additionalProperties':
      return `${at(String(params.additionalProperty))} is not a known field`;
    case 'enum':
      return `${at()} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `${at()} must be ${JSON.stringify(params.allowedValue)}`;
    default:
      return `${at()} ${e.message ?? 'is invalid'}`;
  }
}

/** "checks[3].status" from ajv's JSON pointer "/checks/3/status". */
function fieldName(pointer: string, extra?: string): string {
  return pointerField(pointer, extra, '(the whole file)');
}
