import {
  AddTrackRequest,
  DisconnectReason,
  LeaveRequest,
  MuteTrackRequest,
  Ping,
  SessionDescription,
  SignalRequest,
  SignalTarget,
  SubscriptionPermission,
  SyncState,
  TrackType,
  TrickleRequest,
  UpdateParticipantMetadata,
  UpdateSubscription,
  UpdateTrackSettings,
  protoInt64,
} from '@livekit/protocol';
import { decodeStrict } from '../mock-server/core/strict-proto.ts';
import type { Frame } from './agent-frames.ts';
import { mutate, unknownField } from './mutate.ts';
import type { Rng } from './rng.ts';

export const RTC_SIGNAL_CATEGORIES = ['random', 'truncated', 'mutated', 'unknown_oneof', 'huge', 'json', 'order'] as const;
export type RtcSignalCategory = (typeof RTC_SIGNAL_CATEGORIES)[number];

/**
 * Frames sent on a joined participant's signal socket, then a PingReq: a PongResp means the server kept the
 * connection. `expect` is livekit-server's reaction where it follows from the input alone (rtcservice.go:
 * a frame proto.Unmarshal / protojson refuses ends the read loop and the socket closes with 1000; a frame
 * with no known oneof case is ignored; a leave closes it); undefined where only the differential run can tell.
 */
export interface RtcSignalInput {
  category: RtcSignalCategory;
  label: string;
  frames: Frame[];
  expect?: 'open' | 'closed';
  /**
   * Oneof cases the frames decode to (by Go's decoding rules, approximated by strict-proto). The differential
   * run skips inputs with SDP/ICE cases (they would start ICE on the real server) and simulate (dev scenarios).
   */
  cases: string[];
}

const bin = (m: SignalRequest): Frame => ({ data: Buffer.from(m.toBinary()), binary: true });
const req = (message: SignalRequest['message']) => new SignalRequest({ message });

/** SDP without candidates: nothing for either server's ICE agent to connect to. */
const OFFER_SDP = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=ice-ufrag:fuzz\r\na=ice-pwd:fuzzfuzzfuzzfuzzfuzzfuzz\r\na=fingerprint:sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF\r\na=setup:actpass\r\na=mid:0\r\na=sctp-port:5000\r\n';

/** A random well-formed SignalRequest; `withSdp` also draws offer/answer/trickle (loopback candidates only). */
export function validSignalRequest(rng: Rng, withSdp = true, fixedCase?: number): SignalRequest {
  const pick = fixedCase ?? rng.int(withSdp ? 13 : 10);
  switch (pick) {
    case 0:
      return req({ case: 'ping', value: protoInt64.parse(rng.int(2 ** 31)) });
    case 1:
      return req({ case: 'pingReq', value: new Ping({ timestamp: protoInt64.parse(rng.int(2 ** 31)), rtt: protoInt64.parse(rng.int(500)) }) });
    case 2:
      return req({ case: 'mute', value: new MuteTrackRequest({ sid: `TR_${rng.text(8)}`, muted: rng.chance(0.5) }) });
    case 3:
      return req({ case: 'updateMetadata', value: new UpdateParticipantMetadata({ metadata: rng.text(20), name: rng.text(8), attributes: rng.chance(0.5) ? { [rng.text(4) || 'k']: rng.text(6) } : {}, requestId: rng.int(1000) }) });
    case 4:
      return req({ case: 'subscription', value: new UpdateSubscription({ trackSids: [`TR_${rng.text(6)}`], subscribe: rng.chance(0.5) }) });
    case 5:
      return req({ case: 'trackSetting', value: new UpdateTrackSettings({ trackSids: [`TR_${rng.text(6)}`], disabled: rng.chance(0.5), width: rng.int(2000), height: rng.int(2000) }) });
    case 6:
      return req({ case: 'addTrack', value: new AddTrackRequest({ cid: rng.text(8) || 'c', name: rng.text(8), type: rng.pick([TrackType.AUDIO, TrackType.VIDEO, TrackType.DATA]) }) });
    case 7:
      return req({ case: 'subscriptionPermission', value: new SubscriptionPermission({ allParticipants: rng.chance(0.5) }) });
    case 8:
      return req({ case: 'syncState', value: new SyncState({}) });
    case 9:
      return req({ case: 'leave', value: new LeaveRequest({ reason: rng.pick([DisconnectReason.CLIENT_INITIATED, DisconnectReason.USER_UNAVAILABLE, DisconnectReason.AGENT_ERROR]) }) });
    case 10:
      return req({ case: 'offer', value: new SessionDescription({ type: 'offer', sdp: OFFER_SDP, id: rng.int(5) }) });
    case 11:
      return req({ case: 'answer', value: new SessionDescription({ type: 'answer', sdp: OFFER_SDP.replace('actpass', 'active'), id: rng.int(5) }) });
    default:
      return req({ case: 'trickle', value: new TrickleRequest({ target: rng.pick([SignalTarget.PUBLISHER, SignalTarget.SUBSCRIBER]), candidateInit: JSON.stringify({ candidate: `candidate:1 1 UDP 2122252543 127.0.0.1 ${rng.range(1024, 65535)} typ host`, sdpMid: '0', sdpMLineIndex: 0 }) }) });
  }
}

/** Numbers SignalRequest's oneof does not define in v1.13.5's protocol (1..23 minus 9 are taken). */
const UNKNOWN_FIELD_NOS = [9, 24, 25, 31, 100, 2047, 536870911];

/** The oneof cases a frame decodes to under Go's rules ('undecodable' when it does not). */
export function casesOf(frames: Frame[]): string[] {
  return frames.map((f) => {
    try {
      const m = f.binary ? decodeStrict(SignalRequest, f.data as Buffer) : SignalRequest.fromJsonString(f.data.toString(), { ignoreUnknownFields: true });
      return m.message.case ?? 'none';
    } catch {
      return 'undecodable';
    }
  });
}

const JSON_CASES: { label: string; frame: (rng: Rng) => string | Buffer; expect?: 'open' | 'closed' }[] = [
  { label: 'valid ping as JSON', frame: (r) => new SignalRequest({ message: { case: 'ping', value: protoInt64.parse(r.int(1000)) } }).toJsonString(), expect: 'open' },
  { label: 'valid pingReq as JSON', frame: (r) => JSON.stringify({ pingReq: { timestamp: String(r.int(1000)) } }), expect: 'open' },
  { label: 'snake_case field names', frame: () => JSON.stringify({ update_metadata: { metadata: 'x' } }), expect: 'open' },
  { label: 'not JSON', frame: (r) => `{${r.text(20)}`, expect: 'closed' },
  { label: 'JSON scalar', frame: (r) => r.pick(['1', '"x"', 'null', 'true', '[]']), expect: 'closed' },
  { label: 'empty JSON object (no case)', frame: () => '{}', expect: 'open' },
  { label: 'unknown top-level field', frame: (r) => JSON.stringify({ [`x${r.text(5)}`]: 1, ping: '1' }), expect: 'open' },
  { label: 'wrong type', frame: (r) => `{"mute":{"muted":${r.pick(['"yes"', '{}', '[1]', '3'])}}}`, expect: 'closed' },
  { label: 'two oneof cases', frame: () => JSON.stringify({ ping: '1', pingReq: { timestamp: '1' } }), expect: 'closed' },
  { label: 'unknown enum name', frame: () => JSON.stringify({ leave: { reason: 'SLEEPY' } }) },
  { label: 'trailing garbage after the object', frame: () => '{"ping":"1"}}', expect: 'closed' },
  { label: 'invalid UTF-8 in a text frame', frame: () => Buffer.concat([Buffer.from('{"updateMetadata":{"metadata":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}}')]), expect: 'closed' },
  { label: 'random text', frame: (r) => r.text(64) },
];

const ORDER_CASES: { label: string; frames: (rng: Rng) => Frame[]; expect: 'open' | 'closed' }[] = [
  { label: 'answer with no offer made', frames: (r) => [bin(validSignalRequestOf(r, 11))], expect: 'open' },
  { label: 'trickle before any offer', frames: (r) => [bin(validSignalRequestOf(r, 12))], expect: 'open' },
  { label: 'mute of a track never published', frames: (r) => [bin(validSignalRequestOf(r, 2))], expect: 'open' },
  { label: 'the same addTrack twice', frames: (r) => { const f = bin(validSignalRequestOf(r, 6)); return [f, f]; }, expect: 'open' },
  { label: 'leave then a ping', frames: (r) => [bin(validSignalRequestOf(r, 9)), bin(validSignalRequestOf(r, 0))], expect: 'closed' },
  { label: 'two leaves', frames: (r) => [bin(validSignalRequestOf(r, 9)), bin(validSignalRequestOf(r, 9))], expect: 'closed' },
  { label: 'syncState on a fresh session', frames: (r) => [bin(validSignalRequestOf(r, 8))], expect: 'open' },
  { label: 'a burst of 50 valid requests', frames: (r) => Array.from({ length: 50 }, () => bin(validSignalRequest(r, false))).filter((f) => casesOf([f])[0] !== 'leave'), expect: 'open' },
  { label: 'JSON then binary then JSON', frames: (r) => [{ data: JSON.stringify({ ping: '1' }), binary: false }, bin(validSignalRequestOf(r, 1)), { data: JSON.stringify({ pingReq: { timestamp: '2' } }), binary: false }], expect: 'open' },
  { label: 'empty binary frame (no oneof case)', frames: () => [{ data: Buffer.alloc(0), binary: true }], expect: 'open' },
];

/** A well-formed request of one case (the numbering of validSignalRequest). */
const validSignalRequestOf = (rng: Rng, kase: number) => validSignalRequest(rng, true, kase);

/** Draws one signal-message input of the given category (or any category). */
export function rtcSignalInput(rng: Rng, category?: RtcSignalCategory): RtcSignalInput {
  const cat = category ?? rng.pick(RTC_SIGNAL_CATEGORIES);
  const done = (label: string, frames: Frame[], expect?: 'open' | 'closed'): RtcSignalInput => {
    const cases = casesOf(frames);
    return { category: cat, label, frames, cases, expect: expect ?? (cases.includes('leave') ? 'closed' : undefined) };
  };
  switch (cat) {
    case 'random': {
      const data = rng.bytes(rng.pick([1, 2, 3, 8, 32, 200, 512]));
      return done(`random ${data.length} bytes`, [{ data, binary: true }]);
    }
    case 'truncated': {
      const full = Buffer.from(validSignalRequest(rng).toBinary());
      const cut = rng.int(Math.max(1, full.length));
      return done(`valid request cut at ${cut}/${full.length}`, [{ data: full.subarray(0, cut), binary: true }], cut === 0 ? 'open' : undefined);
    }
    case 'mutated': {
      const full = Buffer.from(validSignalRequest(rng).toBinary());
      return done('valid request with byte mutations', [{ data: mutate(rng, full), binary: true }]);
    }
    case 'unknown_oneof': {
      const withKnown = rng.chance(0.3);
      const ping = Buffer.from(req({ case: 'pingReq', value: new Ping({ timestamp: protoInt64.parse(7) }) }).toBinary());
      const data = withKnown ? Buffer.concat([unknownField(rng, UNKNOWN_FIELD_NOS), ping]) : unknownField(rng, UNKNOWN_FIELD_NOS);
      // unlike /agent, a SignalRequest with no known case goes to the signal handler, which ignores it
      return done(withKnown ? 'unknown field next to a pingReq' : 'only an unknown field', [{ data, binary: true }], 'open');
    }
    case 'huge': {
      const size = rng.pick([256 * 1024, 1024 * 1024, 3 * 1024 * 1024]);
      if (rng.chance(0.5)) return done(`${size} random bytes`, [{ data: rng.bytes(size), binary: true }]);
      const m = req({ case: 'updateMetadata', value: new UpdateParticipantMetadata({ metadata: 'm'.repeat(size), requestId: 1 }) });
      return done(`updateMetadata with ${size} bytes of metadata`, [bin(m)], 'open');
    }
    case 'json': {
      const c = rng.pick(JSON_CASES);
      return done(`JSON: ${c.label}`, [{ data: c.frame(rng), binary: false }], c.expect);
    }
    case 'order': {
      const c = rng.pick(ORDER_CASES);
      return done(`order: ${c.label}`, c.frames(rng), c.expect);
    }
  }
}

/** Cases the differential run does not send to livekit-server: SDP/ICE would start its ICE agent; simulate acts on dev scenarios. */
export const NOT_COMPARED_CASES: ReadonlySet<string> = new Set(['offer', 'answer', 'trickle', 'simulate']);
