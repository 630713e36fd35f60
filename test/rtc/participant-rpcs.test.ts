import { expect } from 'vitest';
import { describeInNetns } from '../support/netns-guard.ts';
import type { ParticipantRpcsView } from './drivers/participant-rpcs.ts';

describeInNetns<Record<'mock' | 'real', ParticipantRpcsView>>(
  'RoomService on live participants (UpdateSubscriptions, MutePublishedTrack, SendData): mock vs livekit-server v1.13.5, rtc-node clients in a private network namespace',
  'subscribes, mutes (and refuses a remote unmute) and delivers server data the same on both servers',
  new URL('./drivers/participant-rpcs.ts', import.meta.url),
  { timeoutMs: 150_000, env: { DRIVER_TIMEOUT_MS: '140000' } },
  (r) => {
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
);
