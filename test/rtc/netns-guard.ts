import { it } from 'vitest';
import { netnsUnavailableReason } from '../support/netns.ts';

/**
 * The reason WebRTC tests cannot run here. On a developer machine without root they show as one visible
 * skipped test that says why; in CI (CI=true, which runs as root) a missing namespace is a failure, never a skip.
 */
export function webrtcSkipReason(): string | undefined {
  const reason = netnsUnavailableReason();
  if (!reason) return undefined;
  if (process.env.CI) {
    it(`WebRTC tests need a network namespace: ${reason}`, () => {
      throw new Error(`CI must be able to create a network namespace for the WebRTC tests: ${reason}`);
    });
  } else {
    it.skip(`WebRTC tests skipped: ${reason}`, () => undefined);
  }
  return reason;
}
