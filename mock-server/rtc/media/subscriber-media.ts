import { randomInt } from 'node:crypto';
import type { Clock } from '../../core/clock.ts';
import type { Participant } from '../../rooms/participant.ts';
import type { SectionPlan } from '../peer/rtc-peer.ts';
import { Av1LayerSelector } from './av1-layer-selector.ts';
import { LayerSelector } from './layer-selector.ts';
import { Vp9LayerSelector } from './vp9-layer-selector.ts';
import type { DownTrackSink, Publication } from './publication.ts';
import { MuteFiller } from './mute-filler.ts';
import { rewriteRtp, type ForwardedHeader } from './rtp-packet.ts';
import { codecFor, isReceiving, pickCodec, type MediaKind, type MediaSection, type SdpCodec } from './sdp-sections.ts';

/** What a subscriber's media half needs from its session. */
export interface SubscriberIo {
  readonly participant: Participant;
  /** Writes one packet on a 'send' section of this client's PeerConnection. */
  sendMedia(mid: string, packet: Buffer): boolean;
  /** The down track is in an applied answer and the PeerConnection is up (sfu DownTrack onBindAndConnected). */
  bound(pub: Publication): void;
  /** The down track switches to a simulcast layer (a PLI on that layer's SSRC) or an SVC layer (no SSRC) and needs its keyframe. */
  askKeyframe(pub: Publication, ssrc?: number): void;
  /** A Go (pion) client: new down tracks get silence or padding until media flows (MuteFiller). */
  readonly fillsSilentTracks?: { clock: Clock };
}

/** Opus as the server offers it (livekit protocol codecs.go: 111); video keeps the publisher's payload type and fmtp. */
const SERVER_OPUS: SdpCodec = { pt: 111, name: 'opus', clockRate: 48_000, channels: 2, fmtp: 'minptime=10;useinbandfec=1' };

class DownTrack implements DownTrackSink {
  readonly ssrc = randomInt(1, 0xffff_ffff);
  mid?: string;
  codec?: SdpCodec;
  /** Its send section is in an answer the client got. */
  answered = false;
  reportedBound = false;
  filler?: MuteFiller;
  /** Which simulcast layer goes down (a single-layer track never needs one). */
  readonly layers: LayerSelector;
  /** VP9 or AV1: which spatial layers of the one SVC stream go down. */
  readonly svc?: Vp9LayerSelector | Av1LayerSelector;
  /** UpdateTrackSettings.disabled: the subscriber keeps the track but gets no media (adaptive stream, hidden video). */
  disabled = false;

  constructor(
    readonly pub: Publication,
    private readonly io: SubscriberIo,
  ) {
    this.layers = new LayerSelector(pub.codec.name, (ssrc) => io.askKeyframe(pub, ssrc));
    const codec = pub.codec.name.toLowerCase();
    if (codec === 'vp9') this.svc = new Vp9LayerSelector(() => io.askKeyframe(pub));
    else if (codec === 'av1') this.svc = new Av1LayerSelector(() => io.askKeyframe(pub));
  }

  get subscriber(): Participant {
    return this.io.participant;
  }

  write(packet: Buffer, now: number): void {
    if (!this.answered || !this.mid || !this.codec || this.disabled) return;
    if (this.pub.layers.size) {
      const header = this.layers.take(packet, this.pub.layers, now);
      if (header) this.#send(packet, header);
    } else if (this.svc instanceof Av1LayerSelector) {
      for (const f of this.svc.push(packet, now)) this.#send(f.packet, f.header);
    } else if (this.svc) {
      const header = this.svc.take(packet, now);
      if (header) this.#send(packet, header);
    } else this.#send(packet);
  }

  #send(packet: Buffer, header?: ForwardedHeader): void {
    const out = rewriteRtp(packet, this.ssrc, this.codec!.pt, header);
    if (!out) return;
    if (this.pub.layers.size) this.layers.munge(out);
    this.filler?.stop();
    this.io.sendMedia(this.mid!, out);
  }

  /** Bound: for a Go client, filler until the publisher's packets come (none come while it is muted). */
  startFiller(clock: Clock): void {
    const { mid, codec } = this;
    if (!mid || !codec || this.filler) return;
    this.filler = new MuteFiller(clock, this.pub.kind, (p) => this.io.sendMedia(mid, p), this.ssrc, codec.pt);
    this.filler.start();
  }
}

/**
 * The subscribing half of a single-PC (/rtc/v1) client: one DownTrack per subscription, each on a receive
 * section the client offered (the Rust SDK offers 3 audio + 3 video at join and adds more on
 * media_sections_requirement), answered sendonly with msid `PA_<pub>|TR_<track> TR_<track>` and listed in
 * the answer's mid_to_track_id (the Rust SDK maps single-PC tracks by it, sfu-media.md §1.5).
 */
export class SubscriberMedia {
  readonly #down = new Map<string, DownTrack>();
  /** Sections once used for a down track, with their kind, are not reused (libwebrtc keeps the old receiver's track on them). */
  readonly #spent = new Map<string, MediaKind>();
  #lastOffer: readonly MediaSection[] = [];
  /** Server-offered mids start after the data channel section's 0. */
  #nextMid = 1;
  #connected = false;

  constructor(private readonly io: SubscriberIo) {}

  has(trackSid: string): boolean {
    return this.#down.has(trackSid);
  }

  subscribed(): Publication[] {
    return [...this.#down.values()].map((d) => d.pub);
  }

  /** A new subscription; false if it exists already. The caller then asks the client for a re-offer. */
  subscribe(pub: Publication): boolean {
    if (this.#down.has(pub.sid)) return false;
    const down = new DownTrack(pub, this.io);
    this.#down.set(pub.sid, down);
    pub.sinks.add(down);
    return true;
  }

  unsubscribe(trackSid: string): boolean {
    const down = this.#down.get(trackSid);
    if (!down) return false;
    down.pub.sinks.delete(down);
    down.filler?.stop();
    this.#down.delete(trackSid);
    if (down.mid) this.#spent.set(down.mid, down.pub.kind);
    return true;
  }

  /**
   * UpdateTrackSettings for one subscription: disabled stops its media; the quality, or the smallest announced layer
   * at least as wide as the subscriber's video element, caps the simulcast or VP9 spatial layer (sfu DownTrack.SetMaxSpatialLayer).
   */
  trackSettings(trackSid: string, settings: { disabled: boolean; quality: number; width: number; height: number }): boolean {
    const down = this.#down.get(trackSid);
    if (!down) return false;
    down.disabled = settings.disabled;
    const layers = [...down.pub.track.layers].sort((a, b) => a.quality - b.quality);
    const fits = settings.width > 0 ? layers.find((l) => l.width >= settings.width && l.height >= settings.height) : undefined;
    const quality = settings.width > 0 ? (fits ?? layers.at(-1))?.quality ?? settings.quality : settings.quality;
    down.layers.setMaxSpatial(Math.min(quality, 2));
    if (down.svc) down.svc.layer.maxSpatial = Math.min(quality, 2);
    return true;
  }

  /** media_sections_requirement: how many more receive sections of each kind the client must add. */
  requirement(): { numAudios: number; numVideos: number } {
    const free = this.#freeSections(this.#lastOffer);
    const need = { audio: 0, video: 0 };
    for (const d of this.#down.values()) {
      if (d.mid) continue;
      const slot = free.findIndex((s) => s.kind === d.pub.kind);
      if (slot >= 0) free.splice(slot, 1);
      else need[d.pub.kind]++;
    }
    return { numAudios: need.audio, numVideos: need.video };
  }

  /** Plans every receive section of an offer: a down track's send section, or inactive. Returns mid → track sid. */
  plan(offered: readonly MediaSection[], plan: Map<string, SectionPlan>): Record<string, string> {
    // a section the publisher sends on (pion's sendrecv transceivers) is the publisher's, never a down track's slot
    const sections = offered.filter((s) => !plan.has(s.mid));
    this.#lastOffer = sections;
    const free = this.#freeSections(sections);
    for (const d of this.#down.values()) {
      if (d.mid && !sections.some((s) => s.mid === d.mid && isReceiving(s))) d.mid = undefined; // the client stopped it
      if (d.mid) continue;
      const slot = free.findIndex((s) => s.kind === d.pub.kind && codecFor(s, d.pub.codec.name));
      if (slot < 0) continue;
      const section = free[slot]!;
      d.mid = section.mid;
      d.codec = codecFor(section, d.pub.codec.name);
      free.splice(slot, 1);
    }
    const midToTrackId: Record<string, string> = {};
    const byMid = new Map([...this.#down.values()].filter((d) => d.mid).map((d) => [d.mid!, d]));
    for (const s of sections) {
      if (s.kind === 'application' || plan.has(s.mid) || !isReceiving(s)) continue;
      const d = byMid.get(s.mid);
      if (d && d.codec) {
        plan.set(s.mid, { mode: 'send', kind: s.kind, codec: d.codec, ssrc: d.ssrc, streamId: `${d.pub.publisher.sid}|${d.pub.sid}`, trackId: d.pub.sid });
        midToTrackId[s.mid] = d.pub.sid;
      } else {
        plan.set(s.mid, { mode: 'inactive', kind: s.kind, codec: pickCodec(s) ?? s.codecs[0] });
      }
    }
    return midToTrackId;
  }

  /**
   * Dual PC: the server offers on the subscriber PeerConnection. Each down track gets a fresh mid (libdatachannel
   * never reuses one) with the server's Opus payload type or the publisher's video codec; unsubscribed ones go inactive. Returns mid → track sid.
   */
  planOffer(plan: Map<string, SectionPlan>): Record<string, string> {
    const midToTrackId: Record<string, string> = {};
    for (const [mid, kind] of this.#spent) plan.set(mid, { mode: 'inactive', kind });
    for (const d of this.#down.values()) {
      if (!d.mid) {
        d.mid = `${this.#nextMid++}`;
        d.codec = d.pub.kind === 'audio' ? SERVER_OPUS : d.pub.codec;
      }
      plan.set(d.mid, { mode: 'send', kind: d.pub.kind, codec: d.codec!, ssrc: d.ssrc, streamId: `${d.pub.publisher.sid}|${d.pub.sid}`, trackId: d.pub.sid });
      midToTrackId[d.mid] = d.pub.sid;
    }
    return midToTrackId;
  }

  /** The publication a down track's send section carries (for the subscriber's keyframe requests). */
  publicationAt(mid: string): Publication | undefined {
    for (const d of this.#down.values()) if (d.mid === mid) return d.pub;
    return undefined;
  }

  /** The answer built from the last plan went to the client. */
  answered(): void {
    for (const d of this.#down.values()) if (d.mid) d.answered = true;
    this.#reportBound();
  }

  connected(): void {
    this.#connected = true;
    this.#reportBound();
  }

  /** Everything this participant subscribes to goes (leave). */
  close(): void {
    for (const sid of [...this.#down.keys()]) this.unsubscribe(sid);
  }

  #reportBound(): void {
    if (!this.#connected) return;
    for (const d of this.#down.values()) {
      if (!d.answered || d.reportedBound) continue;
      d.reportedBound = true;
      if (this.io.fillsSilentTracks) d.startFiller(this.io.fillsSilentTracks.clock);
      this.io.bound(d.pub);
    }
  }

  #freeSections(sections: readonly MediaSection[]): MediaSection[] {
    const used = new Set([...this.#down.values()].map((d) => d.mid).filter((m): m is string => !!m));
    return sections.filter((s) => (s.kind === 'audio' || s.kind === 'video') && isReceiving(s) && !used.has(s.mid) && !this.#spent.has(s.mid));
  }
}

export type { MediaKind };
