import { rtpPayloadOffset } from './rtp-packet.ts';
import { startsAv1Keyframe } from './av1-payload.ts';
import { startsVp9Keyframe } from './vp9-payload.ts';

/**
 * The packet starts a VP8 keyframe (RFC 7741 §4.3): the payload descriptor's S bit set with partition 0, and the
 * VP8 payload header's P bit clear.
 */
function startsVp8Keyframe(p: Uint8Array): boolean {
  if (p.length < 1 || !(p[0]! & 0x10) || (p[0]! & 0x07) !== 0) return false;
  let at = 1;
  if (p[0]! & 0x80) {
    const x = p[at++]!;
    if (x & 0x80) at += p[at]! & 0x80 ? 2 : 1; // picture id, 15 or 7 bits
    if (x & 0x40) at++; // TL0PICIDX
    if (x & 0x30) at++; // TID/KEYIDX
  }
  return at < p.length && (p[at]! & 0x01) === 0;
}

/** An H.264 payload (RFC 6184) carrying an IDR slice or a sequence parameter set: single NAL, STAP-A, or the first FU-A fragment. */
function startsH264Keyframe(p: Uint8Array): boolean {
  const isKey = (nal: number) => nal === 5 || nal === 7;
  if (p.length < 1) return false;
  const type = p[0]! & 0x1f;
  if (type === 24) {
    for (let at = 1; at + 2 < p.length; ) {
      const size = (p[at]! << 8) | p[at + 1]!;
      if (isKey(p[at + 2]! & 0x1f)) return true;
      at += 2 + size;
    }
    return false;
  }
  if (type === 28) return p.length > 1 && (p[1]! & 0x80) !== 0 && isKey(p[1]! & 0x1f);
  return isKey(type);
}

/** The RTP packet starts a keyframe of the given codec (VP8, H264, VP9 or AV1; other codecs never say so). */
export function startsKeyframe(packet: Uint8Array, codecName: string): boolean {
  const at = rtpPayloadOffset(packet);
  if (at === undefined) return false;
  const payload = packet.subarray(at);
  const name = codecName.toLowerCase();
  if (name === 'vp8') return startsVp8Keyframe(payload);
  if (name === 'h264') return startsH264Keyframe(payload);
  if (name === 'vp9') return startsVp9Keyframe(payload);
  if (name === 'av1') return startsAv1Keyframe(payload);
  return false;
}
