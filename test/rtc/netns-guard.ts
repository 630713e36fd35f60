import { it } from 'vitest';
import { netnsUnavailableReason } from '../support/netns.ts';

/** The reason WebRTC tests cannot run here, after registering a visible skipped test that says so. */
export function webrtcSkipReason(): string | undefined {
  const reason = netnsUnavailableReason();
  if (reason) it.skip(`WebRTC tests skipped: ${reason}`, () => undefined);
  return reason;
}
