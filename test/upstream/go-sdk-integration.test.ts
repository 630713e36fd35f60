import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killNetnsRuns, netnsUnavailableReason, runInNetns } from '../support/netns.ts';
import { guardNetns } from '../support/netns-guard.ts';
import { GO_SDK_KNOWN_GAPS } from './known-gaps.ts';
import { judgeSuite, verdictLine, type SuiteRun } from './upstream-results.ts';

const BINARY = join(import.meta.dirname, '../../.tools/bin/server-sdk-go-v2.19.0.test');

// server-sdk-go's own integration tests (pion clients), unmodified, on the mock and on livekit-server v1.13.5.
// A test that passes on the real server and fails on the mock fails here, unless it is a listed known gap.
describe('upstream: server-sdk-go v2.19.0 integration tests, mock vs livekit-server v1.13.5 (inside a network namespace)', () => {
  const unavailable = netnsUnavailableReason();
  guardNetns(unavailable, 'upstream Go SDK suite');
  afterAll(() => killNetnsRuns());

  it.runIf(!unavailable)('every test that passes on the real server passes on the mock (or is a known gap)', async () => {
    if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run bash scripts/build-go-sdk-tests.sh (npm test does)`);
    const run = runInNetns(new URL('./go-sdk-suite-driver.ts', import.meta.url), { env: { DRIVER_TIMEOUT_MS: '1500000' }, timeoutMs: 1_520_000 });
    const { mock, real } = (await run.result) as { mock: SuiteRun; real: SuiteRun };
    const verdict = judgeSuite(mock, real, GO_SDK_KNOWN_GAPS);
    console.log(verdictLine('server-sdk-go integration', verdict));
    if (verdict.fixedGaps.length) console.log(`known gaps that now pass on the mock (remove them from known-gaps.ts): ${verdict.fixedGaps.join('; ')}`);
    expect(verdict.realPassed, 'the real server must pass the suite it is compared with').toBeGreaterThan(0);
    expect(verdict.regressions).toEqual([]);
  }, 1_540_000);
});
