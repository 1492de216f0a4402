// The machine a report was made on, for support: one builder for the report of a check run and the fleet report.
import { release } from 'node:os';
import type { RunReport } from '../core/result.js';
import { environmentWarnings } from './environment-warnings.js';

export function runEnvironment(): RunReport['environment'] {
  const warnings = environmentWarnings();
  return {
    node: process.version,
    os: process.platform,
    osRelease: release(),
    arch: process.arch,
    ...(warnings.length ? { warnings } : {}),
  };
}
