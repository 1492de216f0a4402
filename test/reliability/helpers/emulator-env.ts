// The M365_DOCTOR_* environment that points the built CLI at an emulator this test process started,
// so a test can read the emulator's request log while the CLI runs as a separate process.
import { demoEnv } from '../../../src/cli/demo.js';
import type { RunningEmulator } from '../../../src/emulator/index.js';

export function emulatorEnv(e: RunningEmulator, over: Record<string, string> = {}): Record<string, string> {
  return { ...demoEnv(e), ...over };
}
