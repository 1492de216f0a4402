// The environment block of every report (check run and fleet header) comes from runEnvironment().
import { release } from 'node:os';
import { describe, expect, it } from 'vitest';
import { noteEnvironmentWarning } from '../../src/runner/environment-warnings.js';
import { runEnvironment } from '../../src/runner/environment.js';

describe('runEnvironment', () => {
  it('names Node.js, the platform, its release and the architecture; warnings only once one is noted', () => {
    const before = runEnvironment();
    expect(before).toEqual({ node: process.version, os: process.platform, osRelease: release(), arch: process.arch });
    noteEnvironmentWarning('config file readable by others');
    expect(runEnvironment().warnings).toEqual(['config file readable by others']);
  });
});
