// `m365-doctor merge`: combines the JSON reports of fleet shards (check --targets --shard K/N --format json)
// into one fleet report, in targets-file order, with totals recounted from the sections.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { readInputFile } from '../config/input-file.js';
import { parseJsonText } from '../config/json-syntax.js';
import { ConfigError } from '../core/errors.js';
import { describeErrors } from '../runner/saved-report.js';
import { packageRoot } from '../config/package-root.js';
import { addTarget, emptySummary, type FleetHeader, type FleetReport, type FleetTargetEntry } from './fleet-report.js';
import type { Shard } from './shard.js';

export interface Merged {
  header: FleetHeader;
  entries: FleetTargetEntry[];
  /** Shard slices a complete set would have but the inputs lack, e.g. ["3/4"]. */
  missingShards: string[];
}

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
type FormatsPlugin = (ajv: Ajv) => Ajv;
const addFormats =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ??
  (addFormatsModule as unknown as FormatsPlugin);

let validator: ReturnType<Ajv['compile']> | undefined;

function schemaErrors(data: unknown): ErrorObject[] {
  if (!validator) {
    const read = (file: string) => JSON.parse(readFileSync(join(packageRoot(), 'schemas', file), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    ajv.addSchema(read('report.schema.json'));
    validator = ajv.compile(read('fleet-report.schema.json'));
  }
  return validator(data) ? [] : [...(validator.errors ?? [])];
}

export function readFleetReport(path: string): FleetReport {
  const name = basename(path);
  const fix = 'Give the JSON report a fleet run wrote (--format json or --report json:FILE)';
  const { text } = readInputFile(path, 'fleetReport', 'merge', fix);
  const data = parseJsonText(text.replace(/^\uFEFF/, ''), (problem) => new ConfigError(name, problem, fix));
  const r = data as Partial<FleetReport> & { checks?: unknown };
  if (r?.schemaVersion !== 1 || r.kind !== 'fleet' || !Array.isArray(r.targets)) {
    throw new ConfigError(
      name,
      Array.isArray(r?.checks) ? 'is a single-target report' : 'is not a fleet JSON report',
      'merge combines the JSON reports of "check --targets FILE --format json" (one per shard)',
    );
  }
  for (const t of r.targets) {
    if (!Number.isInteger(t?.index) || typeof t?.name !== 'string' || !Array.isArray(t?.report?.checks)) {
      throw new ConfigError(
        name,
        'has a target section without index, name and report',
        'Give the unchanged JSON report of a fleet run',
      );
    }
  }
  // The whole shape, as for `report`: a date that is no date, a count that is no number would break the merge later.
  const errors = schemaErrors(data);
  if (errors.length)
    throw new ConfigError(
      name,
      `is not an m365-doctor fleet report: ${describeErrors(errors)}`,
      'Give the unchanged JSON report of a fleet run',
    );
  return r as FleetReport;
}

export function mergeFleetReports(paths: readonly string[]): Merged {
  if (!paths.length) throw new ConfigError('merge', 'needs at least one report', 'Name the JSON reports of the shards');
  const owner = new Map<number, string>();
  const entries: FleetTargetEntry[] = [];
  const shards: Shard[] = [];
  const requests: FleetHeader['requests'] = {
    tokenPosts: { ropc: 0, appOnly: 0, admin: 0 },
    graph: 0,
    graphBatchedReads: 0,
    groups: 0,
    throttled: 0,
  };
  let first: FleetReport | undefined;
  let startedAt = Infinity;
  let finishedAt = -Infinity;
  for (const path of paths) {
    const r = readFleetReport(path);
    first ??= r;
    startedAt = Math.min(startedAt, Date.parse(r.startedAt));
    finishedAt = Math.max(finishedAt, Date.parse(r.finishedAt));
    shards.push(...(r.shard ? [r.shard] : []), ...(r.mergedShards ?? []));
    for (const k of ['ropc', 'appOnly', 'admin'] as const) requests.tokenPosts[k] += r.requests?.tokenPosts?.[k] ?? 0;
    requests.graph += r.requests?.graph ?? 0;
    requests.graphBatchedReads += r.requests?.graphBatchedReads ?? 0;
    requests.groups += r.requests?.groups ?? 0;
    requests.throttled += r.requests?.throttled ?? 0;
    for (const t of r.targets) {
      const earlier = owner.get(t.index);
      if (earlier !== undefined) {
        throw new ConfigError(
          basename(path),
          `holds target ${t.index + 1} ("${t.name}"), which ${earlier} holds too`,
          'Merge each shard once; shards of one run never overlap (same targets file, same N)',
        );
      }
      owner.set(t.index, basename(path));
      entries.push(t);
    }
  }
  entries.sort((a, b) => a.index - b.index);
  const header: FleetHeader = {
    schemaVersion: 1,
    kind: 'fleet',
    tool: first!.tool,
    environment: first!.environment,
    startedAt: new Date(startedAt).toISOString(),
    finishedAt: new Date(finishedAt).toISOString(),
    durationMs: Math.max(0, finishedAt - startedAt),
    concurrency: null,
    shard: null,
    mergedShards: shards.sort((a, b) => a.count - b.count || a.index - b.index),
    targetSummary: { total: 0, withProblems: 0 },
    summary: emptySummary(),
    requests,
  };
  for (const e of entries) addTarget(header, e.report);
  return { header, entries, missingShards: missing(shards) };
}

function missing(shards: readonly Shard[]): string[] {
  const [n, ...others] = new Set(shards.map((s) => s.count));
  if (n === undefined || others.length) return [];
  const have = new Set(shards.map((s) => s.index));
  return Array.from({ length: n }, (_, i) => i + 1)
    .filter((k) => !have.has(k))
    .map((k) => `${k}/${n}`);
}
