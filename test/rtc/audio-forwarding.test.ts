import { expect } from 'vitest';
import { describeInNetns } from '../support/netns-guard.ts';
import type { AudioForwardingResult } from './drivers/audio-forwarding.ts';

describeInNetns<AudioForwardingResult>(
  'audio forwarding on /rtc/v1 between two real @livekit/rtc-node clients (inside a private network namespace)',
  'the subscriber gets TrackSubscribed with the published sid and frames with energy; the publisher gets TrackSubscribed; unpublish removes the track',
  new URL('./drivers/audio-forwarding.ts', import.meta.url),
  { timeoutMs: 120_000 },
  (r) => {
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
);
