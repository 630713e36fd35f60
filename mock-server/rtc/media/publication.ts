import type { TrackInfo } from '@livekit/protocol';
import type { Participant } from '../../rooms/participant.ts';
import type { Room } from '../../rooms/room.ts';
import type { SimulcastLayer } from './layer-selector.ts';
import { rtpSsrc } from './rtp-packet.ts';
import type { MediaKind, SdpCodec } from './sdp-sections.ts';

/** LiveKit's rids, lowest first (livekit protocol: q LOW, h MEDIUM, f HIGH). */
const RIDS = ['q', 'h', 'f'];

/** One subscriber's copy of a publication (the real server's DownTrack). */
export interface DownTrackSink {
  readonly subscriber: Participant;
  /** One RTP packet from the publisher, as received (the sink rewrites it for its PeerConnection). */
  write(packet: Buffer, now: number): void;
}

/** A published track whose media reaches the server (MediaTrack + its receiver), and the subscribers it forwards to. */
export class Publication {
  readonly sinks = new Set<DownTrackSink>();
  /** TrackSubscribed goes to the publisher once per track, on the first bound subscriber (mediatrack.go OnTrackSubscribed). */
  everSubscribed = false;
  /** When the publisher was last asked for a keyframe (RoomMedia.keyframeWanted's throttle). */
  lastKeyframeRequestAt = -Infinity;
  /** rid simulcast: the layers the publisher sends, by SSRC (empty for a single-layer track). */
  readonly layers = new Map<number, SimulcastLayer>();

  constructor(
    readonly room: Room,
    readonly publisher: Participant,
    readonly track: TrackInfo,
    readonly kind: MediaKind,
    /** What the publisher sends; every down track uses the same codec. */
    readonly codec: SdpCodec,
    /** Why its media cannot be forwarded (simulcast, a codec the mock does not forward), or undefined when it can. */
    readonly notForwardable?: string,
  ) {}

  get sid(): string {
    return this.track.sid;
  }

  /** A simulcast layer started (its rid names its spatial index; an unknown rid comes after the known ones). */
  layerSeen(ssrc: number, rid: string, now: number): void {
    const known = RIDS.indexOf(rid);
    this.layers.set(ssrc, { ssrc, rid, spatial: known >= 0 ? known : RIDS.length + this.layers.size, lastPacketAt: now });
  }

  /** A muted publication forwards nothing (DownTrack.PubMute). */
  forward(packet: Buffer, now: number): void {
    if (this.track.muted || this.notForwardable) return;
    const layer = this.layers.size ? this.layers.get(rtpSsrc(packet)) : undefined;
    if (layer) layer.lastPacketAt = now;
    for (const sink of this.sinks) sink.write(packet, now);
  }
}

/** Every publication of the server, by track sid. */
export class MediaRouter {
  readonly #byTrack = new Map<string, Publication>();

  add(pub: Publication): void {
    this.#byTrack.set(pub.sid, pub);
  }

  remove(trackSid: string): Publication | undefined {
    const pub = this.#byTrack.get(trackSid);
    this.#byTrack.delete(trackSid);
    return pub;
  }

  get(trackSid: string): Publication | undefined {
    return this.#byTrack.get(trackSid);
  }

  inRoom(room: Room): Publication[] {
    return [...this.#byTrack.values()].filter((p) => p.room === room);
  }

  of(publisher: Participant): Publication[] {
    return [...this.#byTrack.values()].filter((p) => p.publisher === publisher);
  }
}
