import { expect } from 'vitest';
import { describeInNetns } from '../support/netns-guard.ts';

// rtc-node reports DisconnectReason with livekit_models.proto numbers
const PARTICIPANT_REMOVED = 4;
const ROOM_DELETED = 5;

interface ClientsResult {
  alice: { connectMs: number; events: string[]; got: string[] };
  bob: { connectMs: number; events: string[]; got: string[]; sawAliceAttributes: Record<string, string> | null };
  dave: { events: string[] };
  publicationSid: string;
  participantJobs: string[];
  publisherJobs: string[];
}

describeInNetns<ClientsResult>(
  'real @livekit/rtc-node clients against the mock (inside a private network namespace)',
  'connect, see each other with attributes, exchange data and text streams, trigger jobs, and get the right disconnect reasons',
  new URL('./drivers/clients.ts', import.meta.url),
  { timeoutMs: 150_000 },
  (r) => {
    expect(r.alice.events).toContain('connected:bob:{"role":"guest"}');
    expect(r.alice.events).toContain('connected:virtual-carol:{"v":"1"}');
    expect(r.bob.sawAliceAttributes).toEqual({ role: 'host' }); // from JoinResponse.other_participants
    expect(r.alice.events).toContain('attributes:bob:{"mood":"curious"}');
    expect(r.bob.got).toContain('alice:t1:hi bob');
    expect(r.bob.got).toContain('text:alice:hello over a text stream');
    expect(r.bob.got.join()).not.toContain('not for bob'); // destination identities honoured
    expect(r.alice.got).toEqual(['bob:hi alice']);
    expect(r.publicationSid).toMatch(/^TR_/);
    expect(r.participantJobs).toEqual(['JT_PARTICIPANT:alice', 'JT_PARTICIPANT:bob', 'JT_PARTICIPANT:dave', 'JT_PARTICIPANT:virtual-carol']);
    expect(r.publisherJobs).toEqual(['JT_PUBLISHER:alice']);
    expect(r.alice.events).toContain('disconnected:bob');
    expect(r.dave.events).toEqual([`room_disconnected:${PARTICIPANT_REMOVED}`]);
    expect(r.alice.events).toContain('disconnected:dave');
    expect(r.alice.events.at(-1)).toBe(`room_disconnected:${ROOM_DELETED}`);
  },
);
