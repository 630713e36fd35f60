import { SubscriptionPermission, TrackPermission } from '@livekit/protocol';
import { describe, expect, it } from 'vitest';
import { Participant } from '../../rooms/participant.ts';
import type { Publication } from './publication.ts';
import { TrackPermissions } from './track-permissions.ts';

const participant = (identity: string, sid: string) => new Participant(sid, { identity }, 0);

describe('TrackPermissions (uptrackmanager.go hasPermissionLocked)', () => {
  const alice = participant('alice', 'PA_a');
  const bob = participant('bob', 'PA_b');
  const carol = participant('carol', 'PA_c');
  const mic = { sid: 'TR_mic', publisher: alice } as Publication;
  const cam = { sid: 'TR_cam', publisher: alice } as Publication;

  it('allows everyone until the publisher says otherwise, and again with all_participants', () => {
    const p = new TrackPermissions();
    expect(p.allows(mic, bob)).toBe(true);
    p.set(alice, new SubscriptionPermission({ allParticipants: false }));
    expect(p.allows(mic, bob)).toBe(false);
    p.set(alice, new SubscriptionPermission({ allParticipants: true }));
    expect(p.allows(mic, bob)).toBe(true);
  });

  it('names subscribers by identity or sid, for all tracks or listed ones', () => {
    const p = new TrackPermissions();
    p.set(alice, new SubscriptionPermission({ trackPermissions: [new TrackPermission({ participantIdentity: 'bob', allTracks: true }), new TrackPermission({ participantSid: 'PA_c', trackSids: ['TR_cam'] })] }));
    expect([p.allows(mic, bob), p.allows(cam, bob)]).toEqual([true, true]);
    expect([p.allows(mic, carol), p.allows(cam, carol)]).toEqual([false, true]);
    p.forget(alice);
    expect(p.allows(mic, carol)).toBe(true);
  });
});
