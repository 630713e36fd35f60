import { afterAll, describe, expect, it } from 'vitest';
import { killNetnsRuns, netnsUnavailableReason, runInNetns } from '../support/netns.ts';
import { guardNetns } from '../support/netns-guard.ts';
import { judgeSuite, verdictLine, type KnownGap, type SuiteRun } from './upstream-results.ts';

/**
 * One upstream suite, unmodified, on the mock and on livekit-server v1.13.5 in one run inside a network namespace:
 * the driver runs it on both and reports each test's status; a test that passes on the real server and fails on
 * the mock fails here, unless it is a listed known gap.
 */
export function describeUpstreamSuite(suite: { title: string; name: string; driver: URL; gaps: readonly KnownGap[]; timeoutMs: number; precondition?: () => void }): void {
  describe(`upstream: ${suite.title}, mock vs livekit-server v1.13.5 (inside a network namespace)`, () => {
    const unavailable = netnsUnavailableReason();
    guardNetns(unavailable, `upstream ${suite.name} suite`);
    afterAll(() => killNetnsRuns());

    it.runIf(!unavailable)('every test that passes on the real server passes on the mock (or is a known gap)', async () => {
      suite.precondition?.();
      const run = runInNetns(suite.driver, { env: { DRIVER_TIMEOUT_MS: String(suite.timeoutMs) }, timeoutMs: suite.timeoutMs + 20_000 });
      const { mock, real } = (await run.result) as { mock: SuiteRun; real: SuiteRun };
      const verdict = judgeSuite(mock, real, suite.gaps);
      console.log(verdictLine(suite.name, verdict));
      if (verdict.fixedGaps.length) console.log(`known gaps that now pass on the mock (remove them from known-gaps.ts): ${verdict.fixedGaps.join('; ')}`);
      expect(verdict.realPassed, 'the real server must pass the suite it is compared with').toBeGreaterThan(0);
      expect(verdict.regressions).toEqual([]);
    }, suite.timeoutMs + 40_000);
  });
}
