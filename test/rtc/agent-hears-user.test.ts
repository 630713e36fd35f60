import { expect } from 'vitest';
import { describeInNetns } from '../support/netns-guard.ts';
import type { AgentHearsUserResult } from './drivers/agent-hears-user.ts';

describeInNetns<AgentHearsUserResult>(
  'an unmodified @livekit/agents worker hears a user, and the user hears it, on the mock (inside a private network namespace)',
  "AUDIO_ONLY subscribes the agent to the user's microphone (UpdateSubscription); frames with energy flow both ways; the agent's waitForSubscription() resolves",
  new URL('./drivers/agent-hears-user.ts', import.meta.url),
  { timeoutMs: 150_000 },
  (r) => {
    expect(r.agentEvents.filter((e) => e.ev === 'track_subscribed')).toEqual([{ ev: 'track_subscribed', sid: r.userTrackSid, identity: 'user' }]);
    expect(Math.max(...r.agentEvents.filter((e) => e.ev === 'heard').map((e) => e.frames ?? 0))).toBeGreaterThanOrEqual(100);
    const agentTrack = r.agentEvents.find((e) => e.ev === 'published')?.sid ?? '';
    expect(agentTrack).toMatch(/^TR_AM/);
    expect(r.userSubscribedTo).toEqual([expect.stringMatching(new RegExp(`:${agentTrack}$`))]);
    expect(r.userHeardAgentFrames).toBeGreaterThanOrEqual(100);
    expect(r.agentEvents.some((e) => e.ev === 'subscribed_by_user')).toBe(true);
  },
);
