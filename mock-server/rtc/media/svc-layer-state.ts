/** A spatial layer that sent nothing for this long is paused (the publisher's encoder dropped it). */
const LAYER_IDLE_MS = 1_000;
/** Keyframe requests while scaling up, at most this often (the sfu's PLI throttle). */
const KEYFRAME_ASK_GAP_MS = 500;

/**
 * One subscriber's spatial layer of an SVC stream: the one forwarded now, and the target, the highest still sending
 * under the subscriber's maximum (UpdateTrackSettings; HIGH by default; in the stream's first second every layer
 * counts as sending). Shared by the VP9 and AV1 selectors, which differ in how a packet names its layer.
 */
export class SvcLayerState {
  /** The subscriber's maximum spatial layer (0 LOW, 1 MEDIUM, 2 HIGH). */
  maxSpatial = 2;
  /** The spatial layer forwarded now; undefined until the first keyframe. */
  current?: number;
  #askedAt = -Infinity;
  #firstAt?: number;
  readonly #seenAt: number[] = [];

  /** A packet of this spatial layer arrived; returns the target now. */
  seen(spatial: number, now: number): number {
    this.#seenAt[spatial] = now;
    this.#firstAt ??= now;
    if (now - this.#firstAt < LAYER_IDLE_MS) return this.maxSpatial;
    let top = 0;
    this.#seenAt.forEach((at, s) => {
      if (now - at <= LAYER_IDLE_MS) top = s;
    });
    return Math.min(top, this.maxSpatial);
  }

  /** Below the target (or not started): ask for a keyframe, at most every KEYFRAME_ASK_GAP_MS. */
  wantsKeyframe(current: number | undefined, target: number, now: number): boolean {
    if ((current ?? -1) >= target || now - this.#askedAt < KEYFRAME_ASK_GAP_MS) return false;
    this.#askedAt = now;
    return true;
  }
}
