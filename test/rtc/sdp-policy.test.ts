import { RTCPeerConnection } from 'node-datachannel/polyfill';
import { afterEach, describe, expect, it } from 'vitest';
import { startMockServer, type StartedMockServer } from '../../mock-server/index.ts';
import { answerAsLiveKitServer, withOfferedSimulcast, withoutSctpInit } from '../../mock-server/rtc/peer/sdp-policy.ts';
import { joinRequestWithOffer, makeOffer, roomToken, SignalClient, wrapJoinRequest } from './signal-client.ts';

// The SNAP attribute livekit rtc 1.1.21 (Python) puts in its offer: its own SCTP INIT chunk, base64.
const CLIENT_SCTP_INIT = 'a=sctp-init:AQAAHoXYunEAUAAA/////3x7VGjAAAAEgAgABoLA';

/** An offer as the newer Rust SDK makes it: the application section carries a=sctp-init. */
const withClientSnap = (sdp: string): string => sdp.replace(/^(a=sctp-port:[^\r\n]*\r?\n)/m, `$1${CLIENT_SCTP_INIT}\r\n`);

const applicationSection = (sdp: string): string => sdp.slice(sdp.indexOf('m=application'));

// SDP only (no ICE): runs on 127.0.0.1 without a network namespace.
describe('SCTP lines of the answer, as livekit-server v1.13.5 words them', () => {
  const open: { close(): void }[] = [];
  let server: StartedMockServer | undefined;
  afterEach(async () => {
    for (const o of open.splice(0)) o.close();
    await server?.close();
    server = undefined;
  });

  it('strips sctp-init (CRLF or LF)', () => {
    const sdp = 'm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=sctp-port:5000\r\na=max-message-size:262144\r\na=sctp-init:AQAA\r\na=mid:6\r\n';
    expect(withoutSctpInit(sdp)).toBe('m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=sctp-port:5000\r\na=max-message-size:262144\r\na=mid:6\r\n');
    expect(withoutSctpInit('a=x\na=sctp-init:AQAA\na=y\n')).toBe('a=x\na=y\n');
    expect(answerAsLiveKitServer(sdp)).not.toContain('sctp-init');
  });

  it('libdatachannel on its own echoes the client its own sctp-init (why the policy exists)', async () => {
    const offer = await makeOffer();
    open.push(offer);
    const pc = new RTCPeerConnection({ iceServers: [] } as never);
    open.push(pc);
    await pc.setRemoteDescription({ type: 'offer', sdp: withClientSnap(offer.sdp) });
    const answer = await pc.createAnswer();
    // the client reads this as "the server did SNAP with my INIT": it sends its DCEP OPENs before any handshake
    expect(answer.sdp).toContain(CLIENT_SCTP_INIT);
  });

  it('the mock answers a SNAP offer over /rtc/v1 without sctp-init', async () => {
    server = await startMockServer({ port: 0, timing: 'fast' });
    const offer = await makeOffer();
    open.push(offer);
    const token = await roomToken(server.apiKey, server.apiSecret, 'py', { roomJoin: true, room: 'r1' });
    const url = `${server.wsUrl}/rtc/v1?join_request=${wrapJoinRequest(joinRequestWithOffer(withClientSnap(offer.sdp)))}`;
    const c = await SignalClient.open(url, token);
    open.push(c);
    const app = applicationSection((await c.next('answer')).sdp);
    expect(app).not.toContain('sctp-init');
    expect(app).toMatch(/^a=sctp-port:5000\r?$/m);
  });
});

describe('simulcast sections, accepted in the answer as offered', () => {
  const offer = [
    'v=0', 's=-',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=mid:0', 'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid', 'a=sendonly',
    'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=mid:1', 'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid', 'a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id',
    'a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id', 'a=sendonly', 'a=rid:f send', 'a=rid:q send', 'a=simulcast:send f;q', '',
  ].join('\r\n');
  const answer = ['v=0', 's=-', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=mid:0', 'a=recvonly', 'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=mid:1', 'a=recvonly', ''].join('\r\n');

  it('adds the offered sdes extmaps (with their ids) to every media section, and the rids and the layer list, received, to the simulcast one', () => {
    const out = withOfferedSimulcast(offer, answer);
    expect(out.split('\r\n')).toEqual([
      'v=0', 's=-', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=mid:0', 'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid', 'a=recvonly', 'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=mid:1',
      'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid', 'a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id',
      'a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id', 'a=rid:f recv', 'a=rid:q recv', 'a=simulcast:recv f;q', 'a=recvonly', '',
    ]);
    expect(withOfferedSimulcast(offer, out)).toBe(out); // already there: nothing twice
  });

  it('adds no simulcast lines when nothing is simulcast', () => {
    const plain = offer.replace('a=simulcast:send f;q\r\n', '').replace('a=rid:f send\r\na=rid:q send\r\n', '');
    expect(withOfferedSimulcast(plain, answer)).not.toMatch(/a=(rid|simulcast):/);
  });
});
