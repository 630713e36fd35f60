import { afterAll, describe, expect, it } from 'vitest';
import { killNetnsRuns, netnsUnavailableReason, runInNetns } from '../support/netns.ts';
import { guardNetns } from '../support/netns-guard.ts';
import type { ParticipantViewDriverResult } from './drivers/participant-view-driver.ts';

// numPublishers counts a publishing agent on livekit-server (room.go updateProto); publishing needs media, so
// both servers and the rtc-node client run in a private network namespace (root; CI fails rather than skips).
describe('participant view: a publishing agent, mock vs livekit-server v1.13.5 (inside a network namespace)', () => {
  const unavailable = netnsUnavailableReason();
  afterAll(() => killNetnsRuns());
  guardNetns(unavailable, 'participant-view publishing differential');

  it.skipIf(!!unavailable)('counts the agent in numPublishers, not in numParticipants, and announces its publication at once', async () => {
    const run = runInNetns(new URL('./drivers/participant-view-driver.ts', import.meta.url), { timeoutMs: 110_000 });
    const r = (await run.result) as ParticipantViewDriverResult;
    expect(r.unexpected, r.diff).toBe(0);
    const real = r.real as Record<string, { value: unknown }>;
    expect(real['when ListRooms pv-pub counts the publishing agent']!.value).toEqual({ numParticipants: 1, numPublishers: 1 });
  }, 120_000);
});
