import type { ForwardedHeader } from './layer-selector.ts';
import { rtpPayloadOffset, rtpSeq, rtpTimestamp } from './rtp-packet.ts';
import { readVp9Descriptor } from './vp9-payload.ts';

/** A spatial layer that sent nothing for this long is paused (the publisher's encoder dropped it). */
const LAYER_IDLE_MS = 1_000;
/** Keyframe requests while scaling up, at most this often (the sfu's PLI throttle). */
const KEYFRAME_ASK_GAP_MS = 500;

/**
 * One subscriber's spatial layer of a VP9 SVC stream (every layer on one SSRC, e.g. L3T3_KEY), as the sfu's VP9
 * layer selector keeps it: packets of higher spatial layers are dropped and the rest renumbered; scaling down
 * happens at the end of a target-layer frame, scaling up at a frame of the new layer that predicts from no earlier
 * picture (a keyframe, asked for with a PLI). The marker moves to the end of the last forwarded layer of a picture.
 */
export class SvcLayerSelector {
  #current?: number;
  #maxSpatial = 2;
  #dropped = 0;
  #askedAt = -Infinity;
  #firstAt?: number;
  readonly #seenAt: number[] = [];

  constructor(private readonly askKeyframe: () => void) {}

  /** The subscriber's maximum spatial layer (0 LOW, 1 MEDIUM, 2 HIGH). */
  setMaxSpatial(spatial: number): void {
    this.#maxSpatial = spatial;
  }

  /** The spatial layer forwarded now, if any. */
  get current(): number | undefined {
    return this.#current;
  }

  /** The header to forward this packet with, or undefined to drop it. */
  take(packet: Uint8Array, now: number): ForwardedHeader | undefined {
    const at = rtpPayloadOffset(packet);
    const d = at === undefined ? undefined : readVp9Descriptor(packet.subarray(at));
    if (!d) return this.#drop();
    this.#seenAt[d.spatial] = now;
    const target = this.#target(now);
    const independent = d.begins && !d.interPredicted;
    if (this.#current === undefined) {
      if (independent && d.spatial === 0) this.#current = 0;
    } else if (this.#current > target) {
      if (d.ends && d.spatial === target) this.#current = target;
    }
    if (this.#current !== undefined && this.#current < target && independent && d.spatial > this.#current && d.spatial <= target) this.#current = d.spatial;
    if ((this.#current ?? -1) < target && now - this.#askedAt >= KEYFRAME_ASK_GAP_MS) {
      this.#askedAt = now;
      this.askKeyframe();
    }
    if (this.#current === undefined || d.spatial > this.#current) return this.#drop();
    // within a keyframe that scales up, the upper layers of this picture follow: the marker waits for them
    const lastLayer = d.ends && d.spatial === this.#current && (d.interPredicted || this.#current >= target);
    return { seq: (rtpSeq(packet) - this.#dropped) & 0xffff, ts: rtpTimestamp(packet), marker: (packet[1]! & 0x80) !== 0 || lastLayer };
  }

  #drop(): undefined {
    this.#dropped++;
    return undefined;
  }

  /** The highest spatial layer still sending, under the subscriber's maximum; at first every layer counts as sending. */
  #target(now: number): number {
    this.#firstAt ??= now;
    if (now - this.#firstAt < LAYER_IDLE_MS) return this.#maxSpatial;
    let top = 0;
    this.#seenAt.forEach((at, spatial) => {
      if (now - at <= LAYER_IDLE_MS) top = spatial;
    });
    return Math.min(top, this.#maxSpatial);
  }
}
