import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GO_SDK_KNOWN_GAPS } from './known-gaps.ts';
import { describeUpstreamSuite } from './upstream-suite.ts';

const BINARY = join(import.meta.dirname, '../../.tools/bin/server-sdk-go-v2.19.0.test');

// server-sdk-go's own integration tests (pion clients, built from its Go module), unmodified.
describeUpstreamSuite({
  title: 'server-sdk-go v2.19.0 integration tests',
  name: 'server-sdk-go integration',
  driver: new URL('./go-sdk-suite-driver.ts', import.meta.url),
  gaps: GO_SDK_KNOWN_GAPS,
  timeoutMs: 1_500_000,
  precondition: () => {
    if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run bash scripts/build-go-sdk-tests.sh (npm test does)`);
  },
});
