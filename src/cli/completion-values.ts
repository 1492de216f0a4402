// Values the shell completion offers after an option that takes one of a known set: scenario names, check ids
// (comma lists too), report formats, clouds, connector profiles and migration targets. Loaded only while completing.
import { REPORTER_NAMES } from '../../reporters/types.js';
import { CLOUDS } from '../m365/clouds.js';
import { CONNECTOR_PROFILES } from '../config/types.js';

type Values = () => Promise<readonly string[]>;

const checkIds: Values = async () => (await import('../../checks/index.js')).builtinChecks.map((c) => c.meta.id);
const VALUES: Record<string, { values: Values; list?: boolean }> = {
  '--scenario': { values: async () => (await import('../emulator/scenarios.js')).SCENARIO_NAMES },
  '--only': { values: checkIds, list: true },
  '--skip': { values: checkIds, list: true },
  '--format': { values: async () => REPORTER_NAMES },
  '--cloud': { values: async () => Object.keys(CLOUDS) },
  '--profile': { values: async () => CONNECTOR_PROFILES },
  '--to': { values: async () => (await import('./migrate-options.js')).MIGRATION_TARGETS },
};

/**
 * The candidates for the last of `words` (the words typed so far, program name first), or undefined when the
 * option before it is not one of ours and yargs' own completion (commands, options, choices) should answer.
 */
export async function completeValue(words: readonly string[]): Promise<string[] | undefined> {
  const current = words[words.length - 1] ?? '';
  const entry = VALUES[words[words.length - 2] ?? ''];
  if (!entry) return undefined;
  const values = await entry.values();
  if (!entry.list) return values.filter((v) => v.startsWith(current));
  // "--only config,ten" -> "config,tenant-discovery": the part before the last comma is kept, chosen ids are not offered again.
  const cut = current.lastIndexOf(',') + 1;
  const [done, partial] = [current.slice(0, cut), current.slice(cut)];
  const chosen = new Set(done.split(',').filter(Boolean));
  return values.filter((v) => v.startsWith(partial) && !chosen.has(v)).map((v) => `${done}${v}`);
}
