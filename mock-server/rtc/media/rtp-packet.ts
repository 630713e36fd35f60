/** RFC 5761: an RTCP packet type (200-207 and friends) puts byte 1 in 192-223; no libwebrtc RTP payload type lies in 64-95. */
export const isRtcp = (packet: Uint8Array): boolean => packet.length >= 2 && packet[1]! >= 192 && packet[1]! <= 223;

/** Where an RTP packet's payload starts (after CSRCs and header extensions), or undefined when the header overruns the packet. */
export function rtpPayloadOffset(packet: Uint8Array): number | undefined {
  if (packet.length < 12) return undefined;
  let at = 12 + 4 * (packet[0]! & 0x0f);
  if (packet[0]! & 0x10) {
    if (packet.length < at + 4) return undefined;
    at += 4 + 4 * ((packet[at + 2]! << 8) | packet[at + 3]!);
  }
  return at <= packet.length ? at : undefined;
}

/** What a forwarded packet's header becomes on the down track: its sequence number, timestamp and, when it moves, marker. */
export interface ForwardedHeader {
  seq: number;
  ts: number;
  marker?: boolean;
}

/**
 * The forwarded copy of a publisher's RTP packet, as DownTrack.WriteRTP builds it: a new 12-byte header with the
 * subscriber-side SSRC and payload type, the publisher's sequence number, timestamp and marker (or the layer
 * selector's), and none of its CSRCs, header extensions (its mid/rid/audio-level would leak, and libwebrtc demuxes on mid) or padding.
 * Undefined for a packet that is not RTP version 2 or is shorter than its own header says.
 */
export function rewriteRtp(packet: Uint8Array, ssrc: number, payloadType: number, header?: ForwardedHeader): Buffer | undefined {
  if (packet.length < 12 || packet[0]! >> 6 !== 2) return undefined;
  const padding = (packet[0]! & 0x20) !== 0;
  const offset = rtpPayloadOffset(packet);
  if (offset === undefined) return undefined;
  let end = packet.length;
  if (padding) end -= packet[packet.length - 1]!;
  if (end < offset) return undefined;
  const out = Buffer.allocUnsafe(12 + end - offset);
  out[0] = 0x80;
  out[1] = (header?.marker === undefined ? packet[1]! & 0x80 : header.marker ? 0x80 : 0) | (payloadType & 0x7f);
  out[2] = packet[2]!;
  out[3] = packet[3]!;
  out[4] = packet[4]!;
  out[5] = packet[5]!;
  out[6] = packet[6]!;
  out[7] = packet[7]!;
  if (header) {
    out.writeUInt16BE(header.seq & 0xffff, 2);
    out.writeUInt32BE(header.ts >>> 0, 4);
  }
  out.writeUInt32BE(ssrc >>> 0, 8);
  out.set(packet.subarray(offset, end), 12);
  return out;
}

/** The SSRC, sequence number and timestamp fields of an RTP packet. */
export const rtpSsrc = (packet: Uint8Array): number => ((packet[8]! << 24) | (packet[9]! << 16) | (packet[10]! << 8) | packet[11]!) >>> 0;
export const rtpSeq = (packet: Uint8Array): number => (packet[2]! << 8) | packet[3]!;
export const rtpTimestamp = (packet: Uint8Array): number => ((packet[4]! << 24) | (packet[5]! << 16) | (packet[6]! << 8) | packet[7]!) >>> 0;

/**
 * A compound RTCP packet asks for a keyframe: PLI (RFC 4585, PT 206 FMT 1) or FIR (RFC 5104, PT 206 FMT 4).
 * A subscriber's decoder sends one when it starts or loses a frame; the SFU passes it on to the publisher.
 */
export function isKeyframeRequest(packet: Uint8Array): boolean {
  let at = 0;
  while (at + 4 <= packet.length) {
    const fmt = packet[at]! & 0x1f;
    if (packet[at + 1]! === 206 && (fmt === 1 || fmt === 4)) return true;
    at += 4 * (((packet[at + 2]! << 8) | packet[at + 3]!) + 1);
  }
  return false;
}

/** A PLI (RFC 4585 §6.3.1) asking the sender of `mediaSsrc` for a keyframe: what the sfu sends a simulcast layer it switches to. */
export function pictureLossIndication(mediaSsrc: number, senderSsrc = 1): Buffer {
  const pli = Buffer.alloc(12);
  pli[0] = 0x81; // V=2, FMT=1
  pli[1] = 206; // PSFB
  pli.writeUInt16BE(2, 2);
  pli.writeUInt32BE(senderSsrc >>> 0, 4);
  pli.writeUInt32BE(mediaSsrc >>> 0, 8);
  return pli;
}

/**
 * A generic NACK (RFC 4585 §6.2.1, PT 205 FMT 1) asking the sender of `mediaSsrc` to resend `seqs`: one FCI per run
 * of up to 17 sequence numbers (a packet id and the bitmask of the 16 after it), as pion's rtcp.NackPairsFromSequenceNumbers.
 */
export function genericNack(mediaSsrc: number, seqs: readonly number[], senderSsrc = 1): Buffer {
  const pairs: { pid: number; blp: number }[] = [];
  for (const seq of seqs) {
    const last = pairs.at(-1);
    const offset = last ? (seq - last.pid) & 0xffff : 0;
    if (last && offset >= 1 && offset <= 16) last.blp |= 1 << (offset - 1);
    else pairs.push({ pid: seq & 0xffff, blp: 0 });
  }
  const nack = Buffer.alloc(12 + 4 * pairs.length);
  nack[0] = 0x81; // V=2, FMT=1
  nack[1] = 205; // RTPFB
  nack.writeUInt16BE(2 + pairs.length, 2);
  nack.writeUInt32BE(senderSsrc >>> 0, 4);
  nack.writeUInt32BE(mediaSsrc >>> 0, 8);
  pairs.forEach((p, i) => {
    nack.writeUInt16BE(p.pid, 12 + 4 * i);
    nack.writeUInt16BE(p.blp, 14 + 4 * i);
  });
  return nack;
}

/**
 * A receiver report (RFC 3550 §6.4.2, no loss) for each layer and a REMB (draft-alvestrand-rmcat-remb) for them
 * all, compounded: what keeps a simulcast publisher's bandwidth estimate growing, so its upper layers start.
 */
export function receiverFeedback(layers: readonly { ssrc: number; highestSeq: number }[], bitrate: number, senderSsrc = 1): Buffer {
  const rr = Buffer.alloc(8 + 24 * layers.length);
  rr[0] = 0x80 | layers.length;
  rr[1] = 201;
  rr.writeUInt16BE(1 + 6 * layers.length, 2);
  rr.writeUInt32BE(senderSsrc >>> 0, 4);
  layers.forEach((l, i) => {
    rr.writeUInt32BE(l.ssrc >>> 0, 8 + 24 * i);
    rr.writeUInt32BE(l.highestSeq >>> 0, 16 + 24 * i);
  });
  const remb = Buffer.alloc(20 + 4 * layers.length);
  remb[0] = 0x8f; // V=2, FMT=15
  remb[1] = 206;
  remb.writeUInt16BE(4 + layers.length, 2);
  remb.writeUInt32BE(senderSsrc >>> 0, 4);
  remb.write('REMB', 12, 'latin1');
  let exp = 0;
  let mantissa = Math.round(bitrate);
  while (mantissa >= 1 << 18) {
    mantissa >>>= 1;
    exp++;
  }
  remb.writeUInt32BE(((layers.length << 24) | (exp << 18) | mantissa) >>> 0, 16);
  layers.forEach((l, i) => remb.writeUInt32BE(l.ssrc >>> 0, 20 + 4 * i));
  return Buffer.concat([rr, remb]);
}
