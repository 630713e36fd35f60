import { afterEach, describe, expect, it } from 'vitest';
import { killNetnsRuns, runInNetns } from '../support/netns.ts';
import { webrtcSkipReason } from '../support/netns-guard.ts';
import type { ParticipantRpcsView } from './drivers/participant-rpcs.ts';

describe('RoomService on live participants (UpdateSubscriptions, MutePublishedTrack, SendData): mock vs livekit-server v1.13.5, rtc-node clients in a private network namespace', () => {
  const skip = webrtcSkipReason();
  afterEach(() => killNetnsRuns());

  it.skipIf(!!skip)(
    'subscribes, mutes (and refuses a remote unmute) and delivers server data the same on both servers',
    async () => {
      const r = (await runInNetns(new URL('./drivers/participant-rpcs.ts', import.meta.url), { timeoutMs: 150_000, env: { DRIVER_TIMEOUT_MS: '140000' } }).result) as Record<'mock' | 'real', ParticipantRpcsView>;
      expect(r.mock).toEqual(r.real);
      expect(r.mock).toMatchObject({
        subscribedBefore: 0,
        subscribedAfter: ['the mic'],
        bobHeardFrames: true,
        muteAnswerMuted: true,
        aliceLocalMuted: true,
        bobSawMuted: true,
        bobData: ['bob:server:ops:for-bob', 'bob:server:all:for-all'],
        carolData: ['carol:server:all:for-all'],
      });
      expect(r.mock.unmuteError).toMatch(/remote unmute not enabled/);
    },
    170_000,
  );
});
