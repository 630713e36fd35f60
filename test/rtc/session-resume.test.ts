import { expect } from 'vitest';
import { describeInNetns } from '../support/netns-guard.ts';
import type { SessionResumeView } from './drivers/session-resume.ts';

describeInNetns<Record<'mock' | 'real', SessionResumeView>>(
  'session resume (reconnect=1) after a reset signal socket: mock vs livekit-server v1.13.5, rtc-node clients in a private network namespace',
  'keeps the SIDs, the media and the data channels, and nobody sees the participant leave',
  new URL('./drivers/session-resume.ts', import.meta.url),
  { timeoutMs: 150_000, env: { DRIVER_TIMEOUT_MS: '140000' } },
  (r) => {
    const { framesAfterResume: mockFrames, ...mock } = r.mock;
    const { framesAfterResume: realFrames, ...real } = r.real;
    expect(mock).toEqual(real);
    expect(mock).toEqual({
      publicationKept: true,
      participantKept: true,
      aliceEvents: expect.arrayContaining(['reconnecting', 'reconnected']),
      bobEvents: expect.not.arrayContaining(['disconnected:alice']),
      bobGot: ['from alice after the resume'],
      aliceGot: ['from bob after the resume'],
    });
    // 10 ms frames for 10 s: within 20 % of the real server, which hears (almost) all of them
    expect(mockFrames).toBeGreaterThanOrEqual(0.8 * realFrames);
    expect(realFrames).toBeGreaterThanOrEqual(800);
  },
);
