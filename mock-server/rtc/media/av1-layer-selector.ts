import { readAv1Packet } from './av1-payload.ts';
import { rtpPayloadOffset, rtpSeq, rtpTimestamp, type ForwardedHeader } from './rtp-packet.ts';
import { SvcLayerState } from './svc-layer-state.ts';

/** A packet to forward now, with its down-track header. */
export interface ForwardedPacket {
  packet: Buffer;
  header: ForwardedHeader;
}

/**
 * One subscriber's spatial layer of an AV1 SVC stream (every layer on one SSRC, e.g. L3T3_KEY), read from the OBU
 * extension headers (the sfu reads the dependency descriptor, which the mock does not forward): packets of higher
 * spatial layers are dropped and the rest renumbered; the layer changes at a temporal unit's start (scaling up only
 * at a keyframe, asked for with a PLI). AV1 has no end-of-layer bit, so the last packet kept is held until the next
 * one shows whether it ends the temporal unit, and then carries the marker.
 */
export class Av1LayerSelector {
  #dropped = 0;
  #lastSpatial = 0;
  #unitTs?: number;
  #held?: ForwardedPacket;
  /** The subscriber's cap (maxSpatial) and the layer forwarded now (current). */
  readonly layer = new SvcLayerState();

  constructor(private readonly askKeyframe: () => void) {}

  /** The packets to forward now (the held one first), in order. */
  push(packet: Buffer, now: number): ForwardedPacket[] {
    const at = rtpPayloadOffset(packet);
    const a = at === undefined ? undefined : readAv1Packet(packet.subarray(at));
    if (!a) return this.#drop([]);
    const spatial = a.spatial ?? this.#lastSpatial;
    this.#lastSpatial = spatial;
    const target = this.layer.seen(spatial, now);
    const ts = rtpTimestamp(packet);
    const out: ForwardedPacket[] = [];
    if (ts !== this.#unitTs) {
      this.#unitTs = ts;
      this.#release(out, true); // the previous temporal unit ended on it
      if (this.layer.current !== undefined && this.layer.current > target) this.layer.current = target;
      else if ((this.layer.current ?? -1) < target && a.startsSequence) this.layer.current = target; // a keyframe carries every layer
    }
    if (this.layer.wantsKeyframe(this.layer.current, target, now)) this.askKeyframe();
    if (this.layer.current === undefined || spatial > this.layer.current) {
      this.#release(out, true); // the last kept layer of this unit ended on it
      return this.#drop(out);
    }
    this.#release(out, false);
    const forwarded = { packet, header: { seq: (rtpSeq(packet) - this.#dropped) & 0xffff, ts, marker: (packet[1]! & 0x80) !== 0 } };
    if (forwarded.header.marker) out.push(forwarded);
    else this.#held = forwarded;
    return out;
  }

  #release(out: ForwardedPacket[], marker: boolean): void {
    if (!this.#held) return;
    if (marker) this.#held.header.marker = true;
    out.push(this.#held);
    this.#held = undefined;
  }

  #drop(out: ForwardedPacket[]): ForwardedPacket[] {
    this.#dropped++;
    return out;
  }
}
