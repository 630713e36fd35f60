import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'mock-server/**/*.test.ts', 'scenarios/**/*.test.ts', 'agent-runtime/**/*.test.ts', 'targets/**/*.test.ts'],
    // Real servers and real worker processes: generous limits on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
