// The name -> reporter map the CLI chooses from (--format, --report FORMAT:FILE).
import { htmlReporter } from './html.js';
import { jsonReporter } from './json.js';
import { junitReporter } from './junit.js';
import { markdownReporter } from './markdown.js';
import { tableReporter } from './table.js';
import type { Reporter, ReporterName } from './types.js';

export const REPORTERS: Record<ReporterName, Reporter> = {
  table: tableReporter,
  json: jsonReporter,
  junit: junitReporter,
  markdown: markdownReporter,
  html: htmlReporter,
};

export type { Reporter, ReporterName, ReporterOptions } from './types.js';
