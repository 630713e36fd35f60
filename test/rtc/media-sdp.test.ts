import { describe, expect, it } from 'vitest';
import { PublisherMedia } from '../../mock-server/rtc/media/publisher-media.ts';
import { isKeyframeRequest, isRtcp, rewriteRtp, rtpSsrc } from '../../mock-server/rtc/media/rtp-packet.ts';
import { mimeTypeOf, parseSections, pickCodec } from '../../mock-server/rtc/media/sdp-sections.ts';
import { SubscriberMedia } from '../../mock-server/rtc/media/subscriber-media.ts';
import { Publication } from '../../mock-server/rtc/media/publication.ts';
import type { SectionPlan } from '../../mock-server/rtc/peer/rtc-peer.ts';
import { SimulcastCodecInfo, TrackInfo, TrackType } from '@livekit/protocol';

// What a libwebrtc (Rust SDK) single-PC offer looks like after a microphone publish: a sendonly opus section
// with RED offered first, recvonly slots for downstream tracks, and the data channel section.
const section = (kind: string, mid: string, dir: string, extra: string[] = []) =>
  [`m=${kind} 9 UDP/TLS/RTP/SAVPF ${kind === 'audio' ? '63 111 0' : '96 97 102'}`, `a=mid:${mid}`, `a=${dir}`, ...extra].join('\r\n');
const AUDIO_CODECS = ['a=rtpmap:63 red/48000/2', 'a=fmtp:63 111/111', 'a=rtpmap:111 opus/48000/2', 'a=fmtp:111 minptime=10;useinbandfec=1', 'a=rtpmap:0 PCMU/8000'];
const VIDEO_CODECS = ['a=rtpmap:96 VP8/90000', 'a=rtpmap:97 rtx/90000', 'a=fmtp:97 apt=96', 'a=rtpmap:102 H264/90000', 'a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f'];
const OFFER = [
  'v=0',
  section('audio', '0', 'recvonly', AUDIO_CODECS),
  section('video', '1', 'recvonly', VIDEO_CODECS),
  section('application', '2', 'sendrecv'),
  section('audio', '3', 'sendonly', [...AUDIO_CODECS, 'a=msid:stream-1 mic-cid', 'a=ssrc:1111 cname:x', 'a=ssrc:1111 msid:stream-1 mic-cid']),
  section('video', '4', 'sendonly', [...VIDEO_CODECS, 'a=ssrc-group:FID 2222 3333', 'a=ssrc:2222 cname:x', 'a=ssrc:3333 cname:x']),
  section('video', '5', 'sendonly', [...VIDEO_CODECS, 'a=rid:q send', 'a=rid:h send', 'a=simulcast:send q;h']),
].join('\r\n');

describe('the media SDP helper (pure)', () => {
  it('parses mids, directions, msid, media SSRCs without RTX, codecs and simulcast', () => {
    const s = parseSections(OFFER);
    expect(s.map((x) => `${x.kind}:${x.mid}:${x.direction}`)).toEqual(['audio:0:recvonly', 'video:1:recvonly', 'application:2:sendrecv', 'audio:3:sendonly', 'video:4:sendonly', 'video:5:sendonly']);
    expect([s[3].msidStream, s[3].msidTrack, s[3].ssrcs]).toEqual(['stream-1', 'mic-cid', [1111]]);
    expect(s[4].ssrcs).toEqual([2222]);
    expect([s[4].simulcast, s[5].simulcast]).toEqual([false, true]);
  });

  it('picks Opus (never RED) and VP8 with the offer’s payload types, H264 packetization-mode=1 when VP8 is absent', () => {
    const s = parseSections(OFFER);
    expect(pickCodec(s[3])).toEqual({ pt: 111, name: 'opus', clockRate: 48000, channels: 2, fmtp: 'minptime=10;useinbandfec=1' });
    expect(pickCodec(s[4])?.pt).toBe(96);
    const h264Only = parseSections(section('video', '0', 'sendonly', VIDEO_CODECS.slice(3)))[0];
    expect(pickCodec(h264Only)?.name).toBe('H264');
    expect(mimeTypeOf('audio', pickCodec(s[3])!)).toBe('audio/opus');
    expect(mimeTypeOf('video', pickCodec(s[4])!)).toBe('video/VP8');
  });

  it('matches publisher sections to announced tracks by msid track id = cid, plans them receive, and marks simulcast not forwardable', () => {
    const mic = new TrackInfo({ sid: 'TR_AMx', type: TrackType.AUDIO, codecs: [{ cid: 'mic-cid' }] });
    const cam = new TrackInfo({ sid: 'TR_VCx', type: TrackType.VIDEO, codecs: [{ cid: 'other' }] });
    const sim = new TrackInfo({ sid: 'TR_VCy', type: TrackType.VIDEO, codecs: [{ cid: 'other2' }] });
    const plan = new Map<string, SectionPlan>();
    const pm = new PublisherMedia();
    const changes = pm.plan(parseSections(OFFER), [mic, cam, sim], plan);
    expect(changes.negotiated.map((n) => [n.track.sid, n.mid, n.mimeType, !!n.notForwardable])).toEqual([
      ['TR_AMx', '3', 'audio/opus', false],
      ['TR_VCx', '4', 'video/VP8', false], // single-layer video is forwarded
      ['TR_VCy', '5', 'video/VP8', true],
    ]);
    expect(changes.negotiated[2].notForwardable).toMatch(/simulcast/);
    expect(plan.get('3')).toMatchObject({ mode: 'receive', codec: { pt: 111 } });
    expect(pm.trackOf('3')).toBe('TR_AMx');
    // the client removed the sender: the section stops sending, the track is unpublished
    const stopped = pm.plan(parseSections(OFFER.replace('a=mid:3\r\na=sendonly', 'a=mid:3\r\na=inactive')), [mic, cam, sim], new Map());
    expect(stopped.stopped).toEqual(['TR_AMx']);
  });

  it('reports a sending section in a codec the mock does not forward (H265) once, and plans nothing for it', () => {
    const h265 = ['v=0', 'm=video 9 UDP/TLS/RTP/SAVPF 49 50', 'a=mid:7', 'a=sendonly', 'a=rtpmap:49 H265/90000', 'a=rtpmap:50 rtx/90000', ''].join('\r\n');
    const cam = new TrackInfo({ sid: 'TR_VCz', type: TrackType.VIDEO });
    const pm = new PublisherMedia();
    const plan = new Map<string, SectionPlan>();
    const first = pm.plan(parseSections(h265), [cam], plan);
    expect(first.unsupported).toEqual([{ mid: '7', codecs: ['H265', 'rtx'] }]);
    expect(first.negotiated).toEqual([]);
    expect(plan.has('7')).toBe(false);
    expect(pm.plan(parseSections(h265), [cam], new Map()).unsupported).toBeUndefined(); // a renegotiation says it no more
  });

  it('receives the codec the client announced for the track (AddTrackRequest simulcast_codecs) before its own preference', () => {
    const offer = ['v=0', 'm=video 9 UDP/TLS/RTP/SAVPF 96 98 45', 'a=mid:3', 'a=sendonly', 'a=rtpmap:96 VP8/90000', 'a=rtpmap:98 VP9/90000', 'a=rtpmap:45 AV1/90000', ''].join('\r\n');
    const announced = (mime: string) => new TrackInfo({ sid: 'TR_VCs', type: TrackType.VIDEO, codecs: [new SimulcastCodecInfo({ mimeType: mime })] });
    for (const [mime, pt] of [['video/VP9', 98], ['video/AV1', 45], ['', 96]] as const) {
      const plan = new Map<string, SectionPlan>();
      const [n] = new PublisherMedia().plan(parseSections(offer), [announced(mime)], plan).negotiated;
      expect(n?.codec.pt).toBe(pt);
      expect(plan.get('3')).toMatchObject({ mode: 'receive', codec: { pt } });
    }
  });

  it('puts a subscription on a free receive section, sendonly with PA_|TR_ msid and mid_to_track_id; others inactive; asks for more when none is free', () => {
    const publisher = { sid: 'PA_pub' } as never;
    const pub = new Publication({} as never, publisher, new TrackInfo({ sid: 'TR_AMx', type: TrackType.AUDIO }), 'audio', { pt: 111, name: 'opus', clockRate: 48_000, channels: 2 });
    const bound: string[] = [];
    const sm = new SubscriberMedia({ participant: {} as never, sendMedia: () => true, askKeyframe: () => undefined, bound: (p) => bound.push(p.sid) });
    expect(sm.subscribe(pub)).toBe(true);
    expect(sm.requirement()).toEqual({ numAudios: 1, numVideos: 0 }); // no offer seen yet
    const plan = new Map<string, SectionPlan>();
    const midToTrackId = sm.plan(parseSections(OFFER), plan);
    expect(midToTrackId).toEqual({ '0': 'TR_AMx' });
    expect(plan.get('0')).toMatchObject({ mode: 'send', codec: { pt: 111 }, streamId: 'PA_pub|TR_AMx', trackId: 'TR_AMx' });
    expect(plan.get('1')).toMatchObject({ mode: 'inactive', kind: 'video' });
    expect(sm.requirement()).toEqual({ numAudios: 0, numVideos: 0 });
    sm.answered();
    expect(bound).toEqual([]); // not connected yet
    sm.connected();
    expect(bound).toEqual(['TR_AMx']);
    // unsubscribe: the section is spent, the next answer has it inactive
    sm.unsubscribe('TR_AMx');
    const next = new Map<string, SectionPlan>();
    expect(sm.plan(parseSections(OFFER), next)).toEqual({});
    expect(next.get('0')).toMatchObject({ mode: 'inactive' });
    expect(pub.sinks.size).toBe(0);
  });
});

describe('RTP forwarding rewrite (DownTrack.WriteRTP)', () => {
  it('keeps seq/ts/marker/payload, sets SSRC and PT, drops CSRCs, the header extension and padding', () => {
    const ext = [0xbe, 0xde, 0x00, 0x01, 0x10, 0xaa, 0x00, 0x00]; // one-byte header extension, 1 word
    const pkt = Buffer.from([0xb1, 0x80 | 63, 0x12, 0x34, 0, 0, 0x10, 0, 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, ...ext, 9, 8, 7, 0, 0, 3]);
    const out = rewriteRtp(pkt, 0x01020304, 111)!;
    expect([...out]).toEqual([0x80, 0x80 | 111, 0x12, 0x34, 0, 0, 0x10, 0, 1, 2, 3, 4, 9, 8, 7]);
    expect(rtpSsrc(out)).toBe(0x01020304);
    expect(rewriteRtp(Buffer.from([0x80, 111, 0]), 1, 111)).toBeUndefined();
    expect(isRtcp(Buffer.from([0x81, 206, 0, 2]))).toBe(true); // PSFB (PLI)
    expect(isRtcp(out)).toBe(false);
  });
  it('recognises keyframe requests in compound RTCP: PLI and FIR, not receiver reports', () => {
    const rr = Buffer.from([0x81, 201, 0, 7, ...new Array(28).fill(0)]);
    const pli = Buffer.from([0x81, 206, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2]);
    const fir = Buffer.from([0x84, 206, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 1, 0, 0, 0]);
    const nack = Buffer.from([0x81, 205, 0, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 5, 0, 0]);
    expect([rr, pli, fir, nack].map((p) => isKeyframeRequest(p))).toEqual([false, true, true, false]);
    expect(isKeyframeRequest(Buffer.concat([rr, pli]))).toBe(true);
  });
  it("never takes a publisher's sendrecv section (pion's transceivers) as a down track's slot, and a video down track takes the publisher's codec", () => {
    const opus = { pt: 111, name: 'opus', clockRate: 48_000, channels: 2 };
    const h264 = { pt: 102, name: 'H264', clockRate: 90_000, fmtp: 'packetization-mode=1;profile-level-id=42e01f' };
    const remote = { sid: 'PA_pub' } as never;
    const mic = new Publication({} as never, remote, new TrackInfo({ sid: 'TR_AMr', type: TrackType.AUDIO }), 'audio', opus);
    const cam = new Publication({} as never, remote, new TrackInfo({ sid: 'TR_VCr', type: TrackType.VIDEO }), 'video', h264);
    const pionOffer = parseSections(
      ['v=0', section('audio', '0', 'sendrecv', [...AUDIO_CODECS, 'a=ssrc:1 cname:x']), section('audio', '1', 'recvonly', AUDIO_CODECS), section('video', '2', 'recvonly', VIDEO_CODECS)].join('\r\n'),
    );
    const plan = new Map<string, SectionPlan>();
    new PublisherMedia().plan(pionOffer, [new TrackInfo({ sid: 'TR_AMown', type: TrackType.AUDIO })], plan);
    const sm = new SubscriberMedia({ participant: {} as never, sendMedia: () => true, askKeyframe: () => undefined, bound: () => undefined });
    sm.subscribe(mic);
    sm.subscribe(cam);
    expect(sm.plan(pionOffer, plan)).toEqual({ '1': 'TR_AMr', '2': 'TR_VCr' });
    expect(plan.get('0')).toMatchObject({ mode: 'receive' });
    expect(plan.get('2')).toMatchObject({ mode: 'send', codec: { pt: 102, name: 'H264' } });
  });
});
