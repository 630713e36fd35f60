import { startsKeyframe } from './keyframe.ts';
import { rtpPayloadOffset, rtpSeq, rtpSsrc, rtpTimestamp, type ForwardedHeader } from './rtp-packet.ts';

/** One simulcast layer a publisher sends: its SSRC, its rid and spatial index (q 0, h 1, f 2), and when it was last heard. */
export interface SimulcastLayer {
  ssrc: number;
  rid: string;
  spatial: number;
  lastPacketAt: number;
}

/** A layer that sent nothing for this long is paused (the publisher's encoder dropped it, sfu streamtracker). */
const LAYER_IDLE_MS = 1_000;
/** Keyframe requests for a layer being switched to, at most this often (the sfu's PLI throttle). */
const KEYFRAME_ASK_GAP_MS = 500;
const VIDEO_CLOCK_PER_MS = 90;

/**
 * One subscriber's choice among a publication's simulcast layers, as the sfu Forwarder makes it: the highest
 * active layer at or under the subscriber's maximum (UpdateTrackSettings quality, HIGH by default), switched to
 * only at a keyframe of the new layer (asked for with a PLI on that layer's SSRC), with sequence numbers,
 * timestamps and VP8 picture ids kept continuous across switches so the subscriber's decoder sees one stream.
 */
export class LayerSelector {
  #current?: number;
  #maxSpatial = 2;
  #seqOffset = 0;
  #tsOffset = 0;
  #last?: { seq: number; ts: number; at: number };
  #askedAt = -Infinity;
  readonly #vp8 = new Vp8Munger();

  constructor(
    private readonly codecName: string,
    private readonly askKeyframe: (ssrc: number) => void,
  ) {}

  /** The subscriber's maximum spatial layer (0 LOW, 1 MEDIUM, 2 HIGH). */
  setMaxSpatial(spatial: number): void {
    this.#maxSpatial = spatial;
  }

  /** The rid being forwarded now, if any. */
  currentRid(layers: ReadonlyMap<number, SimulcastLayer>): string | undefined {
    return this.#current === undefined ? undefined : layers.get(this.#current)?.rid;
  }

  /** The header to forward this packet with (written into `out` for VP8), or undefined to drop it. */
  take(packet: Uint8Array, layers: ReadonlyMap<number, SimulcastLayer>, now: number): ForwardedHeader | undefined {
    const ssrc = rtpSsrc(packet);
    const target = this.#target(layers, now);
    if (target !== undefined && target !== this.#current) {
      if (ssrc === target && startsKeyframe(packet, this.codecName)) this.#switchTo(packet, now);
      else if (now - this.#askedAt >= KEYFRAME_ASK_GAP_MS) {
        this.#askedAt = now;
        this.askKeyframe(target);
      }
    }
    if (ssrc !== this.#current) return undefined;
    const header = { seq: (rtpSeq(packet) + this.#seqOffset) & 0xffff, ts: (rtpTimestamp(packet) + this.#tsOffset) >>> 0 };
    this.#last = { ...header, at: now };
    return header;
  }

  /** Rewrites the VP8 payload descriptor of a forwarded copy (picture id, TL0PICIDX) to the down track's numbering. */
  munge(out: Buffer): void {
    if (this.codecName.toLowerCase() === 'vp8') this.#vp8.munge(out);
  }

  #target(layers: ReadonlyMap<number, SimulcastLayer>, now: number): number | undefined {
    let best: SimulcastLayer | undefined;
    let lowest: SimulcastLayer | undefined;
    for (const l of layers.values()) {
      if (now - l.lastPacketAt > LAYER_IDLE_MS) continue;
      if (!lowest || l.spatial < lowest.spatial) lowest = l;
      if (l.spatial <= this.#maxSpatial && (!best || l.spatial > best.spatial)) best = l;
    }
    return (best ?? lowest)?.ssrc;
  }

  #switchTo(packet: Uint8Array, now: number): void {
    this.#current = rtpSsrc(packet);
    if (this.#last) {
      this.#seqOffset = (this.#last.seq + 1 - rtpSeq(packet)) & 0xffff;
      const gap = Math.max(1, Math.round((now - this.#last.at) * VIDEO_CLOCK_PER_MS));
      this.#tsOffset = (this.#last.ts + gap - rtpTimestamp(packet)) >>> 0;
    }
    this.#vp8.switched();
  }
}

/**
 * VP8 picture ids and TL0PICIDX are numbered per layer; libwebrtc drops frames whose picture id is behind the last
 * decoded one, so after a switch both continue from the last forwarded value (the sfu's VP8 munger).
 */
class Vp8Munger {
  #pidOffset = 0;
  #tl0Offset = 0;
  #lastPid?: number;
  #lastTl0?: number;
  #rebase = false;

  switched(): void {
    this.#rebase = this.#lastPid !== undefined || this.#lastTl0 !== undefined;
  }

  munge(out: Buffer): void {
    const at = rtpPayloadOffset(out);
    if (at === undefined || !(out[at]! & 0x80)) return;
    const x = out[at + 1];
    if (x === undefined) return;
    let i = at + 2;
    if (x & 0x80) {
      const long = (out[i]! & 0x80) !== 0;
      const mask = long ? 0x7fff : 0x7f;
      const pid = long ? ((out[i]! & 0x7f) << 8) | out[i + 1]! : out[i]! & 0x7f;
      if (this.#rebase && this.#lastPid !== undefined) this.#pidOffset = (this.#lastPid + 1 - pid) & 0x7fff;
      const next = (pid + this.#pidOffset) & mask;
      if (long) {
        out[i] = 0x80 | (next >> 8);
        out[i + 1] = next & 0xff;
      } else out[i] = next;
      this.#lastPid = next;
      i += long ? 2 : 1;
    }
    if (x & 0x40) {
      if (this.#rebase && this.#lastTl0 !== undefined) this.#tl0Offset = (this.#lastTl0 + 1 - out[i]!) & 0xff;
      out[i] = (out[i]! + this.#tl0Offset) & 0xff;
      this.#lastTl0 = out[i]!;
    }
    this.#rebase = false;
  }
}
