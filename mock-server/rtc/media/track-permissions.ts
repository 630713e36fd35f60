import type { SubscriptionPermission } from '@livekit/protocol';
import type { Participant } from '../../rooms/participant.ts';
import type { Publication } from './publication.ts';

/**
 * Who may subscribe to whose tracks (uptrackmanager.go hasPermissionLocked): a publisher that never sent a
 * SubscriptionPermission, or sent all_participants, allows everyone; otherwise a subscriber needs a
 * TrackPermission naming it (by sid or identity) with all_tracks or the track's sid.
 */
export class TrackPermissions {
  readonly #byPublisher = new Map<Participant, SubscriptionPermission>();

  set(publisher: Participant, permission: SubscriptionPermission): void {
    this.#byPublisher.set(publisher, permission);
  }

  forget(publisher: Participant): void {
    this.#byPublisher.delete(publisher);
  }

  allows(pub: Publication, subscriber: Participant): boolean {
    const p = this.#byPublisher.get(pub.publisher);
    if (!p || p.allParticipants) return true;
    return p.trackPermissions.some(
      (t) => (t.participantSid === subscriber.sid || t.participantIdentity === subscriber.identity) && (t.allTracks || t.trackSids.includes(pub.sid)),
    );
  }
}
