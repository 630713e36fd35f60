import { expect } from 'vitest';
import { describeInNetns } from '../support/netns-guard.ts';
import type { VideoForwardingResult } from './drivers/video-forwarding.ts';

for (const codec of ['vp8', 'h264'] as const) {
  describeInNetns<VideoForwardingResult>(
    `video forwarding (${codec}) on /rtc/v1 between real @livekit/rtc-node clients (inside a private network namespace)`,
    "a subscriber decodes the frames at their size, and a late joiner's keyframe request reaches the publisher",
    new URL('./drivers/video-forwarding.ts', import.meta.url),
    { timeoutMs: 120_000, env: { VIDEO_CODEC: codec } },
    (r) => {
      expect(r.publishedSid).toMatch(/^TR_V/);
      expect(r.serverTrack.mimeType).toBe(codec === 'vp8' ? 'video/VP8' : 'video/H264');
      expect(r.bob.frames).toBeGreaterThanOrEqual(30);
      expect(r.bob.size).toBe('320x240');
      expect(r.carol.frames).toBeGreaterThanOrEqual(30);
    },
  );
}
