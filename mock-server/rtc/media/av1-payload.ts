/** What layer selection reads of an AV1 RTP payload (AV1 RTP spec §4.4-4.5): no dependency descriptor needed. */
export interface Av1Packet {
  /** N: the first packet of a coded video sequence (a keyframe). */
  startsSequence: boolean;
  /** The spatial id of the first OBU that starts in this packet (its extension header), 0 for an OBU without one; undefined when the packet continues an OBU (Z) of the previous one. */
  spatial?: number;
}

/** The aggregation header's N bit: the first packet of a coded video sequence, a keyframe. */
const NEW_SEQUENCE = 0x08;

/** The packet starts an AV1 keyframe (a new coded video sequence). */
export const startsAv1Keyframe = (p: Uint8Array): boolean => p.length > 0 && (p[0]! & NEW_SEQUENCE) !== 0;

/** An unsigned LEB128 at `at`: its value and length, or undefined past the end. */
function leb128(p: Uint8Array, at: number): { value: number; size: number } | undefined {
  let value = 0;
  for (let i = 0; i < 8 && at + i < p.length; i++) {
    value += (p[at + i]! & 0x7f) * 2 ** (7 * i);
    if (!(p[at + i]! & 0x80)) return { value, size: i + 1 };
  }
  return undefined;
}

/** Reads the aggregation header and the first OBU header, or undefined for a payload shorter than it says. */
export function readAv1Packet(p: Uint8Array): Av1Packet | undefined {
  if (p.length < 2) return undefined;
  const agg = p[0]!;
  const startsSequence = (agg & NEW_SEQUENCE) !== 0;
  if (agg & 0x80) return { startsSequence }; // Z: the first element continues the previous packet's OBU
  let at = 1;
  if (((agg >> 4) & 0x03) !== 1) {
    // W is not 1: the first element carries its length
    const len = leb128(p, at);
    if (!len) return undefined;
    at += len.size;
  }
  const header = p[at];
  if (header === undefined) return undefined;
  if (!(header & 0x04)) return { startsSequence, spatial: 0 };
  const ext = p[at + 1];
  return ext === undefined ? undefined : { startsSequence, spatial: (ext >> 3) & 0x03 };
}
