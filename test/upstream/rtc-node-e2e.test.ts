import { afterAll, describe, expect, it } from 'vitest';
import { killNetnsRuns, netnsUnavailableReason, runInNetns } from '../support/netns.ts';
import { guardNetns } from '../support/netns-guard.ts';
import { RTC_NODE_KNOWN_GAPS } from './known-gaps.ts';
import { judgeSuite, verdictLine, type SuiteRun } from './upstream-results.ts';

// LiveKit's own rtc-node end-to-end suites, unmodified, on the mock and on livekit-server v1.13.5 in one run.
// A test that passes on the real server and fails on the mock fails here, unless it is a listed known gap.
describe('upstream: @livekit/rtc-node e2e suites, mock vs livekit-server v1.13.5 (inside a network namespace)', () => {
  const unavailable = netnsUnavailableReason();
  guardNetns(unavailable, 'upstream rtc-node suites');
  afterAll(() => killNetnsRuns());

  it.runIf(!unavailable)('every test that passes on the real server passes on the mock (or is a known gap)', async () => {
    const run = runInNetns(new URL('./rtc-node-suite-driver.ts', import.meta.url), { env: { DRIVER_TIMEOUT_MS: '600000' }, timeoutMs: 620_000 });
    const { mock, real } = (await run.result) as { mock: SuiteRun; real: SuiteRun };
    const verdict = judgeSuite(mock, real, RTC_NODE_KNOWN_GAPS);
    console.log(verdictLine('@livekit/rtc-node e2e', verdict));
    if (verdict.fixedGaps.length) console.log(`known gaps that now pass on the mock (remove them from known-gaps.ts): ${verdict.fixedGaps.join('; ')}`);
    expect(verdict.realPassed, 'the real server must pass the suite it is compared with').toBeGreaterThan(0);
    expect(verdict.regressions).toEqual([]);
  }, 640_000);
});
