import type { TrackInfo } from '@livekit/protocol';
import { TrackType } from '@livekit/protocol';
import type { MediaPlan, SectionPlan } from '../peer/rtc-peer.ts';
import { isSending, mimeTypeOf, pickCodec, type MediaKind, type MediaSection, type SdpCodec } from './sdp-sections.ts';

/** A publisher section the offer newly carries, matched to its announced track. */
export interface NegotiatedTrack {
  track: TrackInfo;
  mid: string;
  kind: MediaKind;
  mimeType: string;
  /** The codec the publisher sends (subscribers get the same: no transcoding). */
  codec: SdpCodec;
  notForwardable?: string;
  /** rid simulcast: the layers are learned from their first packets and one goes to each subscriber. */
  simulcast?: boolean;
}

/** What one offer changes on the publishing side. */
export interface PublishChanges {
  negotiated: NegotiatedTrack[];
  /** Track sids whose section stopped sending (the client removed the sender: unpublish, sfu-media.md §1.6). */
  stopped: string[];
  /** Sending sections in codecs the mock does not forward (VP9, AV1, …): their mid and the codecs offered. */
  unsupported?: { mid: string; codecs: string[] }[];
}

const TRACK_KIND: Record<MediaKind, TrackType> = { audio: TrackType.AUDIO, video: TrackType.VIDEO };

/**
 * The publishing half of a client's PeerConnection: which m-section carries which announced track (by msid
 * track id = AddTrackRequest cid, else the first pending track of that kind, as participant.go
 * getPendingTrack), the receive plan for those sections, and the RTP they deliver.
 */
export class PublisherMedia {
  readonly #trackByMid = new Map<string, string>();
  readonly #codecByMid = new Map<string, SdpCodec>();
  /** Sections already reported as unsupported (each renegotiation offers them again). */
  readonly #unsupported = new Set<string>();
  /** Simulcast layers whose packets came before their section's publication existed. */
  readonly #stashedLayers = new Map<string, { ssrc: number; rid: string }[]>();

  /** Adds a 'receive' plan for every sending section; `tracks` are the participant's announced tracks. */
  plan(sections: readonly MediaSection[], tracks: readonly TrackInfo[], plan: Map<string, SectionPlan>, receivesSimulcast = false): PublishChanges {
    const changes: PublishChanges = { negotiated: [], stopped: [] };
    const taken = new Set(this.#trackByMid.values());
    for (const s of sections) {
      if (s.kind === 'application') continue;
      const known = this.#trackByMid.get(s.mid);
      if (!isSending(s)) {
        if (known) {
          changes.stopped.push(known);
          this.#trackByMid.delete(s.mid);
        }
        continue;
      }
      const pending = known ? [] : tracks.filter((t) => !t.mid && !taken.has(t.sid) && t.type === TRACK_KIND[s.kind as MediaKind]);
      const track = pending.find((t) => t.codecs.some((c) => c.cid === s.msidTrack)) ?? pending[0];
      // the codec the client announced for the track comes first (livekit-server moves it to the front of the answer)
      const codec = known ? this.#codecByMid.get(s.mid) : pickCodec(s, track?.codecs[0]?.mimeType.split('/')[1]);
      if (!codec) {
        // nothing the mock can receive here: libdatachannel's echo answers it, and the session says so
        if (!this.#unsupported.has(s.mid)) (changes.unsupported ??= []).push({ mid: s.mid, codecs: [...new Set(s.codecs.map((c) => c.name))] });
        this.#unsupported.add(s.mid);
        continue;
      }
      plan.set(s.mid, { mode: 'receive', kind: s.kind, codec, ...(s.simulcast && receivesSimulcast ? { simulcast: true } : {}) });
      if (known || !track) continue;
      taken.add(track.sid);
      this.#trackByMid.set(s.mid, track.sid);
      this.#codecByMid.set(s.mid, codec);
      const notForwardable = s.simulcast && !receivesSimulcast ? 'simulcast (rid) video: this WebRTC stack does not learn the layers' : undefined;
      changes.negotiated.push({ track, mid: s.mid, kind: s.kind, mimeType: mimeTypeOf(s.kind, codec), codec, notForwardable, ...(s.simulcast && !notForwardable ? { simulcast: true } : {}) });
    }
    return changes;
  }

  stashLayer(mid: string, ssrc: number, rid: string): void {
    this.#stashedLayers.set(mid, [...(this.#stashedLayers.get(mid) ?? []), { ssrc, rid }]);
  }

  takeStashedLayers(mid: string): { ssrc: number; rid: string }[] {
    const stashed = this.#stashedLayers.get(mid) ?? [];
    this.#stashedLayers.delete(mid);
    return stashed;
  }

  trackOf(mid: string): string | undefined {
    return this.#trackByMid.get(mid);
  }

  midOf(trackSid: string): string | undefined {
    for (const [mid, sid] of this.#trackByMid) if (sid === trackSid) return mid;
    return undefined;
  }
}

/** The plan as a read-only map (what RtcPeer.answer takes). */
export const asPlan = (plan: Map<string, SectionPlan>): MediaPlan => plan;
