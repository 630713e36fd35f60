import {
  AddTrackRequest,
  AudioTrackFeature,
  ClientInfo,
  ClientInfo_Capability,
  JoinRequest,
  PacketTrailerFeature,
  TrackSource,
  TrackType,
  DataPacket,
  DataPacket_Kind,
  DisconnectReason,
  LeaveRequest,
  LeaveRequest_Action,
  ParticipantInfo_State,
  Ping,
  SessionDescription,
  UserPacket,
  protoInt64,
} from '@livekit/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuthContext } from '../../mock-server/auth/claims.ts';
import { ManualClock } from '../../mock-server/core/clock.ts';
import { DEFAULT_SIGNAL_LOSS_GRACE_MS } from '../../mock-server/rtc/rtc-extension.ts';
import { validateJoin } from '../../mock-server/rtc/join-validation.ts';
import { SessionRegistry } from '../../mock-server/rtc/session-registry.ts';
import { MockCore } from '../../mock-server/server/mock-core.ts';
import { MemorySignalConnection, memoryPeers } from './memory/memory-signal.ts';
import { joinRequestWithOffer, wrapJoinRequest } from './signal-client.ts';

// /rtc rules on the ManualClock: no sockets, no ICE, no waiting.
describe('/rtc session registry on a ManualClock', () => {
  let clock: ManualClock;
  let core: MockCore;
  let registry: SessionRegistry;
  let peers: ReturnType<typeof memoryPeers>;
  afterEach(() => {
    registry?.close();
    core?.stop();
  });

  const start = (options: { carriesMedia?: boolean } = {}) => {
    clock = new ManualClock();
    core = new MockCore({ clock, seed: 1, timing: 'real' });
    peers = memoryPeers(options);
    registry = new SessionRegistry(core, { peerFactory: peers.factory, signalLossGraceMs: DEFAULT_SIGNAL_LOSS_GRACE_MS });
  };
  const auth = (identity: string): AuthContext => ({ apiKey: 'devkey', apiSecret: 'secret', identity, grants: { iss: 'devkey', sub: identity, video: { roomJoin: true, room: 'r1' } } }) as AuthContext;
  const join = (identity: string, query = '', v1 = false) => {
    const conn = new MemorySignalConnection();
    const listener = registry.open(conn, validateJoin(auth(identity), new URLSearchParams(query), v1, false));
    conn.listener = listener;
    return conn;
  };
  const room = () => core.rooms.get('r1')!;
  const inRoom = (identity: string) => room()?.participants.has(identity) ?? false;

  it('a join gets JoinResponse first, with the pings the Rust SDK needs and no subscriber PC', async () => {
    start();
    const a = join('alice');
    await clock.advance(0);
    expect(a.cases()[0]).toBe('join');
    const jr = a.of('join')[0];
    expect(jr.participant?.identity).toBe('alice');
    expect(jr.pingInterval).toBe(5);
    expect(jr.pingTimeout).toBe(15);
    expect(jr.subscriberPrimary).toBe(false);
    a.request({ case: 'ping', value: protoInt64.parse(1) });
    a.request({ case: 'pingReq', value: new Ping({ timestamp: protoInt64.parse(7) }) });
    expect(a.of('pong')).toEqual([protoInt64.parse(clock.now())]);
    expect(a.of('pongResp')[0].lastPingTimestamp).toBe(protoInt64.parse(7));
  });

  it('a lost signal connection keeps the participant for the 2 s grace, then it leaves with SIGNAL_CLOSE', async () => {
    start();
    const a = join('alice');
    const b = join('bob');
    a.drop();
    await clock.advance(DEFAULT_SIGNAL_LOSS_GRACE_MS - 1);
    expect(inRoom('alice')).toBe(true);
    expect(peers.peers[0].closed).toBe(false); // the PeerConnection stays up for a resume, as on the real server
    await clock.advance(1);
    expect(inRoom('alice')).toBe(false);
    expect(peers.peers[0].closed).toBe(true);
    expect(core.trace.events('participant.left').map((e) => [e.identity, e.reason])).toEqual([['alice', 'SIGNAL_CLOSE']]);
    await clock.advance(core.ctx.timing.participantUpdateIntervalMs); // a non-publisher's update waits for the room's batch
    const last = b.of('update').at(-1)!.participants[0];
    expect([last.identity, last.state]).toEqual(['alice', ParticipantInfo_State.DISCONNECTED]);
  });

  it('a leave request removes the participant at once, with a kept reason or CLIENT_INITIATED, and closes cleanly', async () => {
    start();
    const a = join('alice');
    const b = join('bob');
    a.request({ case: 'leave', value: new LeaveRequest({ reason: DisconnectReason.USER_REJECTED }) });
    b.request({ case: 'leave', value: new LeaveRequest({ reason: DisconnectReason.SERVER_SHUTDOWN }) });
    await clock.advance(0);
    expect(core.trace.events('participant.left').map((e) => [e.identity, e.reason])).toEqual([
      ['alice', 'USER_REJECTED'],
      ['bob', 'CLIENT_INITIATED'],
    ]);
    expect(a.closedHow).toBe('clean');
  });

  it('a resume within the grace takes the session back: ReconnectResponse, everyone, the room; the old socket is ignored', async () => {
    start();
    const a = join('alice');
    join('bob');
    a.drop();
    await clock.advance(DEFAULT_SIGNAL_LOSS_GRACE_MS - 1);
    const resumed = join('alice', 'reconnect=1');
    expect(resumed.cases()).toEqual(['reconnect', 'update', 'roomUpdate']);
    expect(resumed.of('update')[0].participants.map((p) => p.identity).sort()).toEqual(['alice', 'bob']);
    expect(resumed.of('update')[0].participants.find((p) => p.identity === 'alice')?.sid).toBe(a.of('join')[0].participant?.sid);
    a.listener!.connectionClosed(); // a late close of the old socket changes nothing
    await clock.advance(DEFAULT_SIGNAL_LOSS_GRACE_MS * 2);
    expect(inRoom('alice')).toBe(true);
    expect(peers.peers[0].closed).toBe(false);
    expect(core.trace.events('participant.left')).toEqual([]);
    resumed.request({ case: 'ping', value: protoInt64.parse(1) });
    expect(resumed.of('pong')).toHaveLength(1);
  });

  it("an ICE restart's offer reaches the PeerConnection with the credentials it has (libdatachannel cannot restart ICE)", async () => {
    start();
    const a = join('alice');
    const sdp = (ufrag: string) => `v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=ice-ufrag:${ufrag}\r\na=ice-pwd:${ufrag}-password-long-enough\r\n`;
    a.request({ case: 'offer', value: new SessionDescription({ type: 'offer', sdp: sdp('first'), id: 1 }) });
    a.request({ case: 'offer', value: new SessionDescription({ type: 'offer', sdp: sdp('restart'), id: 2 }) });
    await clock.advance(0);
    expect(peers.peers[0].offers.map((o) => /ice-ufrag:(\S+)/.exec(o)?.[1])).toEqual(['first', 'first']);
    expect(peers.peers[0].offers[1]).toContain('a=ice-pwd:first-password-long-enough');
    expect(core.trace.events('log').some((e) => e.message.includes('alice: ICE restart answered with the ICE credentials the session has'))).toBe(true);
  });

  it('a resume (reconnect=1) of a participant not in the room is refused with Leave{RECONNECT} and joins nobody', async () => {
    start();
    const a = join('alice', 'reconnect=1');
    await clock.advance(0);
    expect(a.cases()).toEqual(['leave']);
    expect(a.of('leave')[0].action).toBe(LeaveRequest_Action.RECONNECT);
    expect(a.closedHow).toBe('clean');
    expect(core.rooms.get('r1')).toBeUndefined();
  });

  it('an undecodable frame ends the read loop; the participant is then a lost connection', async () => {
    start();
    const a = join('alice');
    a.listener!.receive(Buffer.from([0xff, 0xff, 0xff]), true);
    expect(a.closedHow).toBe('clean');
    expect(core.trace.events('log').some((e) => e.message.includes('undecodable signal frame'))).toBe(true);
    await clock.advance(DEFAULT_SIGNAL_LOSS_GRACE_MS - 1);
    expect(inRoom('alice')).toBe(true);
    await clock.advance(1);
    expect(inRoom('alice')).toBe(false);
  });

  it('fans participant joins out to the others, and relays data to its destinations only, stamped with the sender', async () => {
    start();
    const a = join('alice');
    join('bob');
    join('carol');
    await clock.advance(core.ctx.timing.participantUpdateIntervalMs); // joins of non-publishers go out in the room's batch
    // the batch names everyone, alice too (her own JOINED, as the real server sends it)
    expect(a.of('update').flatMap((u) => u.participants.map((p) => p.identity)).sort()).toEqual(['alice', 'bob', 'carol']);
    const [pa, pb, pc] = peers.peers;
    const aliceReliable = pa.clientOpens('_reliable');
    pb.clientOpens('_reliable');
    pc.clientOpens('_reliable');
    const packet = (dest: string[]) =>
      new DataPacket({ value: { case: 'user', value: new UserPacket({ payload: new TextEncoder().encode('hi'), destinationIdentities: dest }) } }).toBinary();
    aliceReliable.deliver(packet([]));
    aliceReliable.deliver(packet(['carol']));
    const received = (p: (typeof peers.peers)[number]) =>
      p.clientChannels().flatMap((ch) => ch.sent.map((bytes) => DataPacket.fromBinary(bytes)));
    expect(received(pb).map((d) => d.participantIdentity)).toEqual(['alice']);
    expect(received(pc).map((d) => [d.participantIdentity, d.kind])).toEqual([
      ['alice', DataPacket_Kind.RELIABLE],
      ['alice', DataPacket_Kind.RELIABLE],
    ]);
    expect(received(pa)).toEqual([]);
  });

  it('holds downstream data until the client-opened channel arrives, and sends trickle without the a= prefix', async () => {
    start();
    const a = join('alice');
    join('bob');
    const [pa, pb] = peers.peers;
    const user = new DataPacket({ value: { case: 'user', value: new UserPacket({ payload: new Uint8Array([1]) }) } }).toBinary();
    pa.clientOpens('_lossy').deliver(user);
    expect(pb.clientChannels()).toEqual([]);
    const bobLossy = pb.clientOpens('_lossy');
    expect(bobLossy.sent.map((b) => DataPacket.fromBinary(b).kind)).toEqual([DataPacket_Kind.LOSSY]);
    pa.events.onLocalCandidate({ candidate: 'a=candidate:1 1 UDP 2122317823 10.203.0.1 40000 typ host', sdpMid: '0', sdpMLineIndex: 0 });
    const init = JSON.parse(a.of('trickle')[0].candidateInit);
    expect(init).toEqual({ candidate: 'candidate:1 1 UDP 2122317823 10.203.0.1 40000 typ host', sdpMid: '0', sdpMLineIndex: 0 });
  });

  it('answers JoinRequest.add_track_requests with TrackPublishedResponse; TrackInfo and ParticipantInfo carry what the real server fills', async () => {
    start();
    const jr = new JoinRequest({
      clientInfo: new ClientInfo({ clientProtocol: 2, capabilities: [ClientInfo_Capability.CAP_PACKET_TRAILER] }),
      addTrackRequests: [
        new AddTrackRequest({ cid: 'mic-1', name: 'mic', type: TrackType.AUDIO, source: TrackSource.MICROPHONE, stereo: true, packetTrailerFeatures: [PacketTrailerFeature.PTF_USER_TIMESTAMP] }),
        new AddTrackRequest({ cid: 'screen-1', type: TrackType.VIDEO, source: TrackSource.SCREEN_SHARE }),
      ],
    });
    const a = join('alice', `join_request=${encodeURIComponent(wrapJoinRequest(jr))}`, true);
    await clock.advance(0);
    expect(a.cases()[0]).toBe('join');
    expect(a.cases().filter((c) => c === 'trackPublished')).toHaveLength(2);
    const [mic, screen] = a.of('trackPublished');
    expect(mic.cid).toBe('mic-1');
    expect(mic.track!.sid).toMatch(/^TR_AM[2-9A-Za-z]{12}$/);
    expect(mic.track!.stream).toBe('camera');
    expect(mic.track!.audioFeatures).toEqual([AudioTrackFeature.TF_STEREO]);
    expect(mic.track!.packetTrailerFeatures).toEqual([PacketTrailerFeature.PTF_USER_TIMESTAMP]);
    expect(mic.track!.codecs.map((c) => c.cid)).toEqual(['mic-1']);
    expect(screen.track!.sid).toMatch(/^TR_VS/);
    expect(screen.track!.stream).toBe('screen');
    const info = room().participants.get('alice')!.toProto();
    expect([info.clientProtocol, info.capabilities]).toEqual([2, [ClientInfo_Capability.CAP_PACKET_TRAILER]]);
    expect(info.tracks).toEqual([]); // pending until an offer carries them (participant.go addPendingTrackLocked)
  });

  it("single PC: a late joiner's re-offer request (MediaSectionsRequirement) waits for the answer to the offer its join carried", async () => {
    start({ carriesMedia: true });
    const opus = ['a=rtpmap:111 opus/48000/2', 'a=fmtp:111 minptime=10;useinbandfec=1'];
    const mic = ['m=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=mid:0', 'a=sendonly', ...opus, 'a=msid:stream-1 mic-1', 'a=ssrc:1111 cname:x'];
    const alice = joinRequestWithOffer(['v=0', ...mic].join('\r\n'), { addTrackRequests: [new AddTrackRequest({ cid: 'mic-1', type: TrackType.AUDIO, source: TrackSource.MICROPHONE })] });
    join('alice', `join_request=${encodeURIComponent(wrapJoinRequest(alice))}`, true);
    await clock.advance(0);
    expect(room().participants.get('alice')!.toProto().tracks).toHaveLength(1);
    const release = peers.holdAnswers(); // bob's stack is slow to answer, as libdatachannel is under load
    const slot = ['m=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=mid:0', 'a=recvonly', ...opus];
    const b = join('bob', `join_request=${encodeURIComponent(wrapJoinRequest(joinRequestWithOffer(['v=0', ...slot].join('\r\n'))))}`, true);
    await clock.advance(100); // well past the 10 ms negotiation debounce
    expect(b.cases()).not.toContain('answer');
    expect(b.cases()).not.toContain('mediaSectionsRequirement');
    release();
    await clock.advance(0);
    const order = b.cases().filter((c) => c === 'answer' || c === 'mediaSectionsRequirement');
    expect(order).toEqual(['answer', 'mediaSectionsRequirement']);
  });

  it('a participant close fault closes only the matched signal connection', async () => {
    start();
    const a = join('alice');
    const b = join('bob');
    expect(core.faults.closeParticipants({ room: 'r1', participant: 'alice' }, true)).toBe(1);
    expect(a.closedHow).toBe('abrupt');
    expect(b.isOpen).toBe(true);
  });
});
