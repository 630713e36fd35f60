import { configDefaults, defineConfig } from 'vitest/config';

// The test groups (CONTRIBUTING.md): `core` needs nothing but Node and this checkout (no Go-built livekit-server,
// no Python venv, no root for network namespaces, no Chromium, no Docker); `integration` is everything else.
// Tests beside the source are unit tests: core.
const COLOCATED = '{mock-server,scenarios,agent-runtime,targets,differential,cli}/**/*.test.ts';
const ALL = ['test/**/*.test.ts', COLOCATED];
const CORE = [
  COLOCATED,
  'test/mock-server/*.test.ts',
  'test/cli/*.test.ts',
  'test/agent-runtime/mark-collector.test.ts',
  'test/agent-runtime/node-lifecycle.test.ts',
  'test/agent-runtime/node-worker.test.ts',
  'test/differential/compare.test.ts',
  'test/reliability/node-churn.test.ts',
  'test/reliability/participant-faults.test.ts',
  'test/reliability/safe-defaults.test.ts',
  'test/reliability/soak.test.ts',
  'test/rtc/sdp-policy.test.ts',
  'test/rtc/signalling.test.ts',
  'test/rtc/virtual-participant-jobs.test.ts',
  'test/scenarios/cli.test.ts',
  'test/scenarios/kind-registry.test.ts',
  'test/scenarios/library.test.ts',
  'test/scenarios/runtime-matrix.test.ts',
  'test/scenarios/runtime-scenarios-node.test.ts',
  'test/scenarios/schema-errors.test.ts',
  'test/scenarios/vitest-entry.test.ts',
];

export default defineConfig({
  test: {
    // Real servers and real worker processes: generous limits on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
    projects: [
      { extends: true, test: { name: 'core', include: CORE } },
      { extends: true, test: { name: 'integration', include: ALL, exclude: [...configDefaults.exclude, ...CORE] } },
    ],
  },
});
