import { afterEach, describe, it } from 'vitest';
import { guardSuite } from './ci-guard.ts';
import { killNetnsRuns, netnsUnavailableReason, runInNetns } from './netns.ts';

/**
 * Registers what a namespace-less machine gets instead of the WebRTC tests: on a developer machine without root
 * one visible skipped test that says why; in CI (CI=true, which runs as root) a failing test, never a skip.
 */
export function guardNetns(reason: string | undefined, what = 'WebRTC tests'): void {
  guardSuite(reason, what, 'a network namespace');
}

/** The reason WebRTC tests cannot run here (undefined when they can), after registering the guard. */
function webrtcSkipReason(): string | undefined {
  const reason = netnsUnavailableReason();
  guardNetns(reason);
  return reason;
}

/**
 * A WebRTC test file's one test: the driver script runs inside its own network namespace and `check` asserts on
 * the result it reports (driver-kit.ts runDriver). Guarded as above; its processes are killed after the test. The
 * test may take 30 s longer than the driver, for the namespace's setup and the driver's own error to arrive first.
 */
export function describeInNetns<R>(title: string, name: string, driver: URL, options: { timeoutMs: number; env?: Record<string, string> }, check: (result: R) => void): void {
  describe(title, () => {
    const skip = webrtcSkipReason();
    afterEach(() => killNetnsRuns());
    it.skipIf(!!skip)(name, async () => check((await runInNetns(driver, options).result) as R), options.timeoutMs + 30_000);
  });
}
