// Loads one reporter when a run needs it, so a run pays only for the formats it writes: --format json loads
// neither cli-table3 (table) nor the HTML page's code.
import type { Reporter, ReporterName } from './types.js';

const LOADERS: Record<ReporterName, () => Promise<Reporter>> = {
  table: async () => (await import('./table.js')).tableReporter,
  json: async () => (await import('./json.js')).jsonReporter,
  junit: async () => (await import('./junit.js')).junitReporter,
  markdown: async () => (await import('./markdown.js')).markdownReporter,
  html: async () => (await import('./html.js')).htmlReporter,
};

export function loadReporter(name: ReporterName): Promise<Reporter> {
  return LOADERS[name]();
}
