// Every reporter, loaded through the one registry the CLI uses (reporters/load.ts), for tests that render with each.
import { loadReporter } from '../../reporters/load.js';
import { REPORTER_NAMES, type Reporter, type ReporterName } from '../../reporters/types.js';

export async function loadReporters(): Promise<Record<ReporterName, Reporter>> {
  const loaded = await Promise.all(REPORTER_NAMES.map(async (name) => [name, await loadReporter(name)] as const));
  return Object.fromEntries(loaded) as Record<ReporterName, Reporter>;
}
