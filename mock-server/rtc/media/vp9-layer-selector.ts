import { rtpPayloadOffset, rtpSeq, rtpTimestamp, type ForwardedHeader } from './rtp-packet.ts';
import { SvcLayerState } from './svc-layer-state.ts';
import { readVp9Descriptor } from './vp9-payload.ts';

/**
 * One subscriber's spatial layer of a VP9 SVC stream (every layer on one SSRC, e.g. L3T3_KEY), as the sfu's VP9
 * layer selector keeps it: packets of higher spatial layers are dropped and the rest renumbered; scaling down
 * happens at the end of a target-layer frame, scaling up at a frame of the new layer that predicts from no earlier
 * picture (a keyframe, asked for with a PLI). The marker moves to the end of the last forwarded layer of a picture.
 */
export class Vp9LayerSelector {
  #dropped = 0;
  /** The subscriber's cap (maxSpatial) and the layer forwarded now (current). */
  readonly layer = new SvcLayerState();

  constructor(private readonly askKeyframe: () => void) {}

  /** The header to forward this packet with, or undefined to drop it. */
  take(packet: Uint8Array, now: number): ForwardedHeader | undefined {
    const at = rtpPayloadOffset(packet);
    const d = at === undefined ? undefined : readVp9Descriptor(packet.subarray(at));
    if (!d) return this.#drop();
    const target = this.layer.seen(d.spatial, now);
    const independent = d.begins && !d.interPredicted;
    if (this.layer.current === undefined) {
      if (independent && d.spatial === 0) this.layer.current = 0;
    } else if (this.layer.current > target) {
      if (d.ends && d.spatial === target) this.layer.current = target;
    }
    if (this.layer.current !== undefined && this.layer.current < target && independent && d.spatial > this.layer.current && d.spatial <= target) this.layer.current = d.spatial;
    if (this.layer.wantsKeyframe(this.layer.current, target, now)) this.askKeyframe();
    if (this.layer.current === undefined || d.spatial > this.layer.current) return this.#drop();
    // within a keyframe that scales up, the upper layers of this picture follow: the marker waits for them
    const lastLayer = d.ends && d.spatial === this.layer.current && (d.interPredicted || this.layer.current >= target);
    return { seq: (rtpSeq(packet) - this.#dropped) & 0xffff, ts: rtpTimestamp(packet), marker: (packet[1]! & 0x80) !== 0 || lastLayer };
  }

  #drop(): undefined {
    this.#dropped++;
    return undefined;
  }
}
