import { afterEach, describe, expect, it } from 'vitest';
import { killNetnsRuns, runInNetns } from '../support/netns.ts';
import { webrtcSkipReason } from '../support/netns-guard.ts';
import type { AudioForwardingResult } from './drivers/audio-forwarding.ts';

describe('audio forwarding on /rtc/v1 between two real @livekit/rtc-node clients (inside a private network namespace)', () => {
  const skip = webrtcSkipReason();
  afterEach(() => killNetnsRuns());

  it.skipIf(!!skip)(
    'the subscriber gets TrackSubscribed with the published sid and frames with energy; the publisher gets TrackSubscribed; unpublish removes the track',
    async () => {
      const r = (await runInNetns(new URL('./drivers/audio-forwarding.ts', import.meta.url), { timeoutMs: 120_000 }).result) as AudioForwardingResult;
      expect(r.publishedSid).toMatch(/^TR_AM/);
      expect(r.subscribed).toEqual([`${r.publishedSid}:alice`]);
      expect(r.framesWithEnergy).toBeGreaterThanOrEqual(100);
      expect(r.publisherSawSubscription).toBe(true);
      expect(r.serverTrack.mimeType).toBe('audio/opus');
      expect(r.serverTrack.mid).not.toBe('');
      expect(r.serverTrack.codecMimes).toEqual(['audio/opus']);
      expect(r.unpublishedSeenByBob).toBe(true);
      expect(r.framesAfterUnpublish).toBeLessThan(50);
    },
    150_000,
  );
});
