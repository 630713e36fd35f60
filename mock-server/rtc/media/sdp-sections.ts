/** One RTP codec of an m-section: its payload type, rtpmap and fmtp. */
export interface SdpCodec {
  pt: number;
  /** As in the rtpmap, e.g. "opus", "VP8", "H264", "rtx". */
  name: string;
  clockRate: number;
  channels?: number;
  fmtp?: string;
}

export type SdpDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
export type MediaKind = 'audio' | 'video';

/** What the mock reads from one m-section of a client's SDP. */
export interface MediaSection {
  kind: MediaKind | 'application';
  mid: string;
  direction: SdpDirection;
  /** port 0: the section is rejected or stopped. */
  stopped: boolean;
  /** `a=msid:<stream> <track>`; the track id is the AddTrackRequest cid for libwebrtc clients (sdp.go ExtractStreamID). */
  msidStream?: string;
  msidTrack?: string;
  /** Media SSRCs (`a=ssrc`), the FID (RTX) SSRCs excluded. */
  ssrcs: number[];
  codecs: SdpCodec[];
  /** rid simulcast (`a=simulcast`): the layers signal no SSRC; the peer learns them from their first packets (SimulcastLearning). */
  simulcast: boolean;
}

const DIRECTIONS = new Set<SdpDirection>(['sendrecv', 'sendonly', 'recvonly', 'inactive']);

/** The m-sections of an SDP, in order (pure; the SDP helper of the media path). */
export function parseSections(sdp: string): MediaSection[] {
  const sections: MediaSection[] = [];
  let cur: MediaSection | undefined;
  const fids = new Set<number>();
  const finish = () => {
    if (cur) cur.ssrcs = cur.ssrcs.filter((s) => !fids.has(s));
    fids.clear();
  };
  for (const raw of sdp.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('m=')) {
      finish();
      const [kind, port] = line.slice(2).split(' ');
      cur = { kind: kind as MediaSection['kind'], mid: '', direction: 'sendrecv', stopped: port === '0', ssrcs: [], codecs: [], simulcast: false };
      sections.push(cur);
      continue;
    }
    if (!cur || !line.startsWith('a=')) continue;
    const attr = line.slice(2);
    const colon = attr.indexOf(':');
    const name = colon < 0 ? attr : attr.slice(0, colon);
    const value = colon < 0 ? '' : attr.slice(colon + 1);
    if (DIRECTIONS.has(name as SdpDirection)) cur.direction = name as SdpDirection;
    else if (name === 'mid') cur.mid = value;
    else if (name === 'msid') [cur.msidStream, cur.msidTrack] = value.split(' ');
    else if (name === 'simulcast') cur.simulcast = true;
    else if (name === 'rtpmap') {
      const m = /^(\d+) ([^/]+)\/(\d+)(?:\/(\d+))?/.exec(value);
      if (m) cur.codecs.push({ pt: Number(m[1]), name: m[2]!, clockRate: Number(m[3]), channels: m[4] ? Number(m[4]) : undefined });
    } else if (name === 'fmtp') {
      const sp = value.indexOf(' ');
      const codec = cur.codecs.find((c) => c.pt === Number(value.slice(0, sp)));
      if (codec) codec.fmtp = value.slice(sp + 1);
    } else if (name === 'ssrc-group' && value.startsWith('FID ')) {
      const [, , rtx] = value.split(' ');
      if (rtx) fids.add(Number(rtx));
    } else if (name === 'ssrc') {
      const ssrc = Number(value.split(' ')[0]);
      if (Number.isFinite(ssrc) && !cur.ssrcs.includes(ssrc)) cur.ssrcs.push(ssrc);
    }
  }
  finish();
  return sections;
}

/** The client sends media on this section (a publication). */
export const isSending = (s: MediaSection): boolean => !s.stopped && (s.direction === 'sendonly' || s.direction === 'sendrecv');
/** The client can receive on this section (a slot for a downstream track). */
export const isReceiving = (s: MediaSection): boolean => !s.stopped && (s.direction === 'recvonly' || s.direction === 'sendrecv');

/** The codecs the mock forwards, by preference: Opus without RED for audio; VP8, H264, VP9, then AV1, for video (no transcoding). */
const FORWARDED: Record<MediaKind, string[]> = { audio: ['opus'], video: ['VP8', 'H264', 'VP9', 'AV1'] };

/**
 * The one codec the mock selects on a section (by name, with the offer's payload type: never assume 111/96): `first`
 * when it is offered and forwarded, else the first forwarded one by the mock's preference.
 * H264 prefers packetization-mode=1 with the constrained-baseline profile LiveKit clients offer first.
 */
export function pickCodec(section: MediaSection, first?: string): SdpCodec | undefined {
  if (section.kind === 'application') return undefined;
  const forwarded = FORWARDED[section.kind];
  const wanted = first && forwarded.find((n) => n.toLowerCase() === first.toLowerCase());
  for (const name of wanted ? [wanted, ...forwarded] : forwarded) {
    const matches = section.codecs.filter((c) => c.name.toLowerCase() === name.toLowerCase());
    if (name === 'H264') {
      const mode1 = matches.find((c) => /packetization-mode=1/.test(c.fmtp ?? '') && /profile-level-id=42e0/i.test(c.fmtp ?? ''));
      if (mode1) return mode1;
      const any1 = matches.find((c) => /packetization-mode=1/.test(c.fmtp ?? ''));
      if (any1) return any1;
    }
    if (matches[0]) return matches[0];
  }
  return undefined;
}

/** A subscriber's section must take the publisher's codec: the mock forwards, it does not transcode. */
export function codecFor(section: MediaSection, publisherCodec: string): SdpCodec | undefined {
  const codec = pickCodec(section, publisherCodec);
  return codec?.name.toLowerCase() === publisherCodec.toLowerCase() ? codec : undefined;
}

/** The normalised mime type of a codec ("audio/opus", "video/VP8"), as LiveKit reports it in TrackInfo. */
export function mimeTypeOf(kind: MediaKind, codec: SdpCodec): string {
  const name = { opus: 'opus', vp8: 'VP8', vp9: 'VP9', h264: 'H264', h265: 'H265', av1: 'AV1', red: 'red' }[codec.name.toLowerCase()] ?? codec.name;
  return `${kind}/${name}`;
}
