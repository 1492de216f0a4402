// Test runner settings: every test/**/*.test.ts (test/interop skips itself when it cannot run).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30000,
  },
});
