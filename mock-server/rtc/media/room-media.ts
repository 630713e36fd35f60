import { TrackSubscribed, type SubscriptionPermission } from '@livekit/protocol';
import type { Participant } from '../../rooms/participant.ts';
import type { Room } from '../../rooms/room.ts';
import type { MockCore } from '../../server/mock-core.ts';
import type { SessionMediaHost, SignalSession } from '../signal-session.ts';
import { withNegotiatedMedia } from '../track-info.ts';
import type { NegotiatedTrack } from './publisher-media.ts';
import { MediaRouter, Publication } from './publication.ts';
import { TrackPermissions } from './track-permissions.ts';

/** livekit's sfu throttles PLIs to a publisher per track (buffer.go, about 500 ms between them). */
const KEYFRAME_REQUEST_GAP_MS = 500;

/** How room media finds sessions (the session registry). */
export interface SessionLookup {
  inRoom(room: Room): SignalSession[];
  of(participant: Participant): SignalSession | undefined;
}

/** How the layers of an SVC-capable codec's one stream reach subscribers, said when such a track is published. */
const LAYERING: Record<string, string> = {
  vp9: "each subscriber gets the spatial layers up to its quality (the VP9 payload descriptor's layer ids; every temporal layer)",
  av1: "each subscriber gets the spatial layers up to its quality (the OBU extension headers' spatial ids; every temporal layer; no dependency descriptor is forwarded)",
};

/**
 * The SFU rules across sessions: a negotiated track becomes a publication (TrackInfo gains mid, mime type,
 * version, and the room hears it), ACTIVE-or-joining auto-subscribers get it, TrackSubscribed goes to the
 * publisher on the first bound subscriber, and unpublish or leave take the down tracks away.
 */
export class RoomMedia implements SessionMediaHost {
  readonly router = new MediaRouter();
  readonly permissions = new TrackPermissions();

  constructor(
    private readonly core: MockCore,
    private readonly sessions: SessionLookup,
  ) {}

  published(session: SignalSession, n: NegotiatedTrack): void {
    const { room, participant } = session;
    withNegotiatedMedia(n.track, n.mid, n.mimeType, this.core.ctx.clock.now());
    if (n.notForwardable) {
      this.core.trace.record({ kind: 'log', level: 'warn', message: `rtc: ${participant.identity}: track ${n.track.sid} (${n.mimeType}) is not forwarded: ${n.notForwardable}` });
    }
    if (n.simulcast) {
      this.core.trace.record({ kind: 'log', level: 'info', message: `rtc: ${participant.identity}: track ${n.track.sid} (${n.mimeType}) is simulcast: each subscriber gets the highest layer being sent at or under its quality (deliberate difference rtc-media-scope: no bandwidth allocation, no dynacast)` });
    }
    const layering = LAYERING[n.codec.name.toLowerCase()];
    if (layering) this.core.trace.record({ kind: 'log', level: 'info', message: `rtc: ${participant.identity}: track ${n.track.sid} (${n.mimeType}): ${layering} (deliberate difference rtc-media-scope)` });
    const pub = new Publication(room, participant, n.track, n.kind, n.codec, n.notForwardable);
    this.router.add(pub);
    // the room hears of the track now, with its mid and mime type (participant.go mediaTrackReceived → onTrackPublished)
    this.core.rooms.publishTrack(room, participant, n.track);
    this.core.rooms.updateParticipant(room, participant, {});
    for (const s of this.sessions.inRoom(room)) {
      if (s === session) continue;
      if (s.autoSubscribes) s.subscribe(pub);
      else this.#warnGap(s, pub);
    }
  }

  #warnGap(s: SignalSession, pub: Publication): void {
    const gap = s.mediaGap;
    if (gap) this.core.trace.record({ kind: 'log', level: 'warn', message: `rtc: ${s.participant.identity} does not receive track ${pub.sid} of ${pub.publisher.identity}: ${gap}` });
  }

  unpublished(session: SignalSession, trackSid: string): void {
    const pub = this.router.remove(trackSid);
    if (pub) this.#dropSubscribers(pub);
    this.core.rooms.unpublishTrack(session.room, session.participant, trackSid);
  }

  joined(session: SignalSession): void {
    for (const pub of this.router.inRoom(session.room)) {
      if (session.autoSubscribes) session.subscribe(pub);
      else this.#warnGap(session, pub);
    }
  }

  bound(subscriber: SignalSession, pub: Publication): void {
    this.keyframeWanted(pub);
    // hidden subscribers (recorders, egress) never trigger it (subscribedtrack.go)
    if (pub.everSubscribed || subscriber.participant.permission.hidden) return;
    pub.everSubscribed = true;
    this.sessions.of(pub.publisher)?.send({ case: 'trackSubscribed', value: new TrackSubscribed({ trackSid: pub.sid }) });
  }

  /**
   * A subscriber's PLI/FIR, or a new video down track (DownTrack.onBinding asks for a keyframe so the first frame
   * decodes): the publisher gets a PLI, at most one per KEYFRAME_REQUEST_GAP_MS per track (the SFU's throttle).
   */
  keyframeWanted(pub: Publication, layerSsrc?: number): void {
    if (layerSsrc !== undefined) {
      // a down track switching layers throttles its own asks (LayerSelector)
      this.sessions.of(pub.publisher)?.requestKeyframe(pub.sid, layerSsrc);
      return;
    }
    const now = this.core.ctx.clock.now();
    if (pub.kind !== 'video' || now - pub.lastKeyframeRequestAt < KEYFRAME_REQUEST_GAP_MS) return;
    if (this.sessions.of(pub.publisher)?.requestKeyframe(pub.sid)) pub.lastKeyframeRequestAt = now;
  }

  /**
   * A publisher's SubscriptionPermission (uptrackmanager.go UpdateSubscriptionPermission): subscribers it no longer
   * allows lose the track and hear allowed=false; those it allows again and that wanted the track get it back.
   */
  permissionChanged(session: SignalSession, permission: SubscriptionPermission): void {
    this.permissions.set(session.participant, permission);
    for (const s of this.sessions.inRoom(session.room)) {
      if (s === session) continue;
      for (const pub of this.router.of(session.participant)) s.permissionChanged(pub, this.permissions.allows(pub, s.participant));
    }
  }

  mayReceive(pub: Publication, subscriber: Participant): boolean {
    return this.permissions.allows(pub, subscriber);
  }

  publication(trackSid: string): Publication | undefined {
    return this.router.get(trackSid);
  }

  /** A session ended: its publications stop (subscribers lose them); its own subscriptions went with it. */
  ended(session: SignalSession): void {
    this.permissions.forget(session.participant);
    for (const pub of this.router.of(session.participant)) {
      this.router.remove(pub.sid);
      this.#dropSubscribers(pub);
    }
  }

  #dropSubscribers(pub: Publication): void {
    for (const sink of [...pub.sinks]) this.sessions.of(sink.subscriber)?.unsubscribe(pub.sid);
    pub.sinks.clear();
  }
}
