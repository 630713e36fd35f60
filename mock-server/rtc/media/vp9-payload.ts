/** The fields of a VP9 RTP payload descriptor (RFC 9628 §4.2) that layer selection reads. */
export interface Vp9Descriptor {
  /** P: the picture is predicted from an earlier one of its layer (clear on a keyframe and on inter-layer-only pictures). */
  interPredicted: boolean;
  /** B: the packet starts a layer frame. */
  begins: boolean;
  /** E: the packet ends a layer frame. */
  ends: boolean;
  /** SID from the layer indices (0 without them: a single-layer stream); every temporal layer is forwarded, so TID is not read. */
  spatial: number;
}

/** Reads the descriptor at the start of a VP9 payload, or undefined when the payload is shorter than it says. */
export function readVp9Descriptor(p: Uint8Array): Vp9Descriptor | undefined {
  if (p.length < 1) return undefined;
  const b = p[0]!;
  let at = 1;
  if (b & 0x80) at += at < p.length && p[at]! & 0x80 ? 2 : 1; // I: 7- or 15-bit picture id
  let spatial = 0;
  if (b & 0x20) {
    // L: TID(3) U SID(3) D
    if (at >= p.length) return undefined;
    spatial = (p[at]! >> 1) & 0x07;
  } else if (at > p.length) return undefined;
  return { interPredicted: (b & 0x40) !== 0, begins: (b & 0x08) !== 0, ends: (b & 0x04) !== 0, spatial };
}

/** The packet starts a VP9 keyframe: the first packet of the base spatial layer of a picture with no inter-picture prediction. */
export function startsVp9Keyframe(p: Uint8Array): boolean {
  const d = readVp9Descriptor(p);
  return !!d && d.begins && !d.interPredicted && d.spatial === 0;
}
