import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PYTHON_SDK_KNOWN_GAPS } from './known-gaps.ts';
import { describeUpstreamSuite } from './upstream-suite.ts';

const TESTS_DIR = join(import.meta.dirname, '../../.tools/python-sdk-tests/1.1.21/tests');

// LiveKit's own Python SDK end-to-end tests (livekit 1.1.21's sdist, the Rust SDK the project venv runs), unmodified.
describeUpstreamSuite({
  title: 'livekit (Python) 1.1.21 e2e tests',
  name: 'livekit Python SDK e2e',
  driver: new URL('./python-sdk-suite-driver.ts', import.meta.url),
  gaps: PYTHON_SDK_KNOWN_GAPS,
  timeoutMs: 1_500_000,
  precondition: () => {
    if (!existsSync(join(TESTS_DIR, 'test_dc.py'))) throw new Error(`${TESTS_DIR} is missing: run bash scripts/setup-python-sdk-tests.sh (npm test does)`);
  },
});
