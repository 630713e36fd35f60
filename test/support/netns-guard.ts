import { it } from 'vitest';
import { netnsUnavailableReason } from './netns.ts';

/**
 * Registers what a namespace-less machine gets instead of the WebRTC tests: on a developer machine without root
 * one visible skipped test that says why; in CI (CI=true, which runs as root) a failing test, never a skip.
 */
export function guardNetns(reason: string | undefined, what = 'WebRTC tests'): void {
  if (!reason) return;
  if (process.env.CI) {
    it(`${what} need a network namespace: ${reason}`, () => {
      throw new Error(`CI must be able to create a network namespace for the ${what}: ${reason}`);
    });
  } else {
    it.skip(`${what} skipped: ${reason}`, () => undefined);
  }
}

/** The reason WebRTC tests cannot run here (undefined when they can), after registering the guard. */
export function webrtcSkipReason(): string | undefined {
  const reason = netnsUnavailableReason();
  guardNetns(reason);
  return reason;
}
