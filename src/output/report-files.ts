// --report FORMAT:FILE: more reports from the same run, scrubbed before they touch the disk.
import { resolve } from 'node:path';
import { REPORTER_NAMES, type ReporterName } from '../../reporters/types.js';
import { ConfigError } from '../core/errors.js';
import { writeFileAtomic } from './atomic-file.js';

export interface ReportSpec {
  format: ReporterName;
  file: string;
}

export function parseReportSpec(spec: string): ReportSpec {
  const colon = spec.indexOf(':');
  const format = spec.slice(0, colon) as ReporterName;
  const file = spec.slice(colon + 1);
  if (colon < 1 || !REPORTER_NAMES.includes(format) || !file) {
    throw new ConfigError(
      '--report',
      `"${spec}" is not FORMAT:FILE with FORMAT one of ${REPORTER_NAMES.join(', ')}`,
      'Write e.g. --report json:out/report.json --report junit:out/junit.xml',
    );
  }
  return { format, file };
}

/**
 * Writes the rendered text to the file (its folder created) through a temporary file and a rename;
 * `scrub` is the run's redactor. A failure throws OutputWriteError (exit 3) and leaves no file.
 */
export function writeReportFile(
  spec: ReportSpec,
  text: string,
  scrub: (s: string) => string,
  cwd = process.cwd(),
): string {
  const path = resolve(cwd, spec.file);
  writeFileAtomic(path, (put) => put(scrub(text)), { flag: '--report' });
  return path;
}
