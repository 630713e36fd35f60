import {
  AddTrackRequest,
  DisconnectReason,
  LeaveRequest,
  ParticipantInfo_Kind,
  ParticipantInfo_State,
  Ping,
  RequestResponse_Reason,
  TrackSource,
  TrackType,
  UpdateParticipantMetadata,
  protoInt64,
} from '@livekit/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SERVER_VERSION, startMockServer, type StartedMockServer } from '../../mock-server/index.ts';
import { eventually } from '../support/eventually.ts';
import { joinRequestWithOffer, makeOffer, refusedUpgrade, roomToken, SignalClient, wrapJoinRequest } from './signal-client.ts';

// Signalling only (no ICE): everything here runs on 127.0.0.1 without a network namespace.
describe('/rtc signalling (rtcservice.go behaviour)', () => {
  let server: StartedMockServer;
  const open: { close(): void }[] = [];
  beforeEach(async () => {
    server = await startMockServer({ port: 0, timing: 'fast' });
  });
  afterEach(async () => {
    for (const o of open.splice(0)) o.close();
    await server.close();
  });

  const token = (identity: string, grant: Parameters<typeof roomToken>[3] = { roomJoin: true, room: 'r1' }, claims = {}) =>
    roomToken(server.apiKey, server.apiSecret, identity, grant, claims);
  const v1Url = async (extra: Parameters<typeof joinRequestWithOffer>[1] = {}) => {
    const offer = await makeOffer();
    open.push(offer);
    return `${server.wsUrl}/rtc/v1?join_request=${wrapJoinRequest(joinRequestWithOffer(offer.sdp, extra))}`;
  };
  const get = async (path: string, tok?: string) => {
    const res = await fetch(`${server.httpUrl}${path}`, { headers: tok ? { Authorization: `Bearer ${tok}` } : {} });
    return { status: res.status, body: await res.text() };
  };

  it('validate endpoints give the real statuses and texts', async () => {
    expect(await get('/rtc/validate')).toEqual({ status: 401, body: 'no permissions to access the room' });
    // a video grant without roomJoin fails EnsureJoinPermission: pkg/service's "permissions denied" (checked against the v1.13.5 binary)
    expect(await get('/rtc/validate', await token('u', { roomCreate: true }))).toEqual({ status: 401, body: 'permissions denied' });
    expect(await get('/rtc/validate', await token('', { roomJoin: true, room: 'r1' }))).toEqual({ status: 400, body: 'identity cannot be empty' });
    expect(await get('/rtc/validate', await token('u', { roomJoin: true }))).toEqual({ status: 400, body: 'no room name' });
    expect(await get('/rtc/v1/validate', await token('u'))).toEqual({ status: 400, body: 'join_request is required' });
    expect(await get('/rtc/v1/validate?join_request=!!', await token('u'))).toEqual({ status: 400, body: 'cannot base64 decode wrapped join request' });
    expect(await get('/rtc/validate', await token('u'))).toEqual({ status: 200, body: 'success' });
    expect(await get(`/rtc/validate?access_token=${await token('u')}`)).toEqual({ status: 200, body: 'success' });
    expect((await get('/rtc', await token('u'))).status).toBe(404); // not an upgrade
    expect(server.core.rooms.list()).toHaveLength(0); // validation never joins
  });

  it('refuses upgrades with the same checks', async () => {
    expect(await refusedUpgrade(`${server.wsUrl}/rtc/v1`, await token('u'))).toEqual({ status: 400, body: 'join_request is required' });
    expect(await refusedUpgrade(`${server.wsUrl}/rtc`, await token('', { roomJoin: true, room: 'r1' }))).toEqual({ status: 400, body: 'identity cannot be empty' });
    expect(await refusedUpgrade(`${server.wsUrl}/rtc`)).toEqual({ status: 401, body: 'no permissions to access the room' });
  });

  it('v1 join: JoinResponse with PA_/RM_ sids, pings > 0, other participants and server info, then the SDP answer', async () => {
    await fetch(`${server.httpUrl}/_lab/rooms/r1/participants`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${await token('admin')}` },
      body: JSON.stringify({ identity: 'virtual-bob', attributes: { a: '1' } }),
    });
    const c = await SignalClient.open(await v1Url(), await token('alice', undefined, { attributes: { role: 'user' } }));
    open.push(c);
    const join = await c.next('join');
    expect(join.participant?.sid).toMatch(/^PA_/);
    expect(join.participant?.identity).toBe('alice');
    expect(join.participant?.attributes).toEqual({ role: 'user' });
    expect(join.room?.sid).toMatch(/^RM_/);
    expect(join.room?.name).toBe('r1');
    expect(join.pingInterval).toBeGreaterThan(0);
    expect(join.pingTimeout).toBeGreaterThan(0);
    expect(join.serverInfo?.version).toBe(SERVER_VERSION);
    expect(join.otherParticipants.map((p) => [p.identity, p.attributes])).toEqual([['virtual-bob', { a: '1' }]]);
    const answer = await c.next('answer');
    expect(answer.type).toBe('answer');
    expect(answer.sdp).toContain('m=application');
    expect(answer.id).toBe(0);
    expect(c.received[0]?.message.case).toBe('join'); // nothing before the JoinResponse
  });

  it('agent kind comes from the token; ping_req → pong_resp, legacy ping → pong; an undecodable frame ends the socket with 1000', async () => {
    const c = await SignalClient.open(await v1Url(), await token('agent-1', { roomJoin: true, room: 'r1', agent: true }, { kind: 'agent' }));
    open.push(c);
    expect((await c.next('join')).participant?.kind).toBe(ParticipantInfo_Kind.AGENT);
    c.send({ case: 'pingReq', value: new Ping({ timestamp: protoInt64.parse(1234), rtt: protoInt64.parse(0) }) });
    expect((await c.next('pongResp')).lastPingTimestamp).toBe(protoInt64.parse(1234));
    c.send({ case: 'ping', value: protoInt64.parse(99) });
    expect(Number(await c.next('pong'))).toBeGreaterThan(0);
    expect(c.closed).toBe(false);
    // rtcservice.go: a ReadRequest error ends the read loop, then CloseNormalClosure (checked by the /rtc differential fuzz)
    const code = new Promise<number>((resolve) => c.ws.once('close', (n) => resolve(n)));
    c.ws.send(Buffer.from([0xff, 0xff, 0xff]));
    expect(await code).toBe(1000);
  });

  it('update_metadata → request_response OK and a ParticipantUpdate to everyone; NOT_ALLOWED without the grant', async () => {
    const a = await SignalClient.open(await v1Url(), await token('alice', { roomJoin: true, room: 'r1', canUpdateOwnMetadata: true }));
    const b = await SignalClient.open(await v1Url(), await token('bob', { roomJoin: true, room: 'r1' }));
    open.push(a, b);
    await a.next('join');
    await b.next('join');
    a.send({ case: 'updateMetadata', value: new UpdateParticipantMetadata({ requestId: 7, attributes: { mood: 'happy' }, name: 'Alice' }) });
    const rr = await a.next('requestResponse');
    expect([rr.requestId, rr.reason]).toEqual([7, RequestResponse_Reason.OK]);
    await eventually(() => (b.of('update').some((u) => u.participants.some((p) => p.identity === 'alice' && p.attributes.mood === 'happy' && p.name === 'Alice')) ? '' : 'bob has not seen alice change'));
    b.send({ case: 'updateMetadata', value: new UpdateParticipantMetadata({ requestId: 8, metadata: 'x' }) });
    const denied = await b.next('requestResponse');
    expect([denied.requestId, denied.reason, denied.message]).toEqual([8, RequestResponse_Reason.NOT_ALLOWED, 'does not have permission to update own metadata']);
  });

  it('add_track → track_published with a TR_ sid; with no offer carrying it the track stays pending (no JT_PUBLISHER, not in ParticipantInfo)', async () => {
    const a = await SignalClient.open(await v1Url(), await token('alice'));
    open.push(a);
    await a.next('join');
    for (const cid of ['c1', 'c2']) {
      a.send({ case: 'addTrack', value: new AddTrackRequest({ cid, name: 'mic', type: TrackType.AUDIO, source: TrackSource.MICROPHONE }) });
    }
    const published = await a.next('trackPublished', 2);
    expect(published.track?.sid).toMatch(/^TR_/);
    expect(a.of('trackPublished').map((t) => t.cid)).toEqual(['c1', 'c2']);
    // JT_PUBLISHER and the room's view follow the negotiated media (rtc-clients.test.ts, participant-view-updates.test.ts)
    expect(server.core.rooms.get('r1')?.participants.get('alice')?.tracks).toEqual([]);
    expect(server.trace.events('participant.published')).toEqual([]);
  });

  it('leave: the participant is gone and the others get its DISCONNECTED info with full attributes', async () => {
    const a = await SignalClient.open(await v1Url(), await token('alice', undefined, { attributes: { k: 'v' } }));
    const b = await SignalClient.open(await v1Url(), await token('bob'));
    open.push(a, b);
    await a.next('join');
    await b.next('join');
    a.send({ case: 'leave', value: new LeaveRequest({ reason: DisconnectReason.CLIENT_INITIATED }) });
    await eventually(() =>
      b.of('update').some((u) => u.participants.some((p) => p.identity === 'alice' && p.state === ParticipantInfo_State.DISCONNECTED && p.attributes.k === 'v'))
        ? ''
        : 'no DISCONNECTED update for alice',
    );
    await eventually(() => (a.closed ? '' : 'alice socket still open'));
    expect(server.core.rooms.get('r1')?.participants.has('alice')).toBe(false);
  });

  it('RemoveParticipant and DeleteRoom send LeaveRequest{DISCONNECT, reason} before closing', async () => {
    const a = await SignalClient.open(await v1Url(), await token('alice'));
    const b = await SignalClient.open(await v1Url(), await token('bob'));
    open.push(a, b);
    await a.next('join');
    await b.next('join');
    const room = server.core.rooms.get('r1')!;
    server.core.rooms.removeParticipant(room, 'bob', DisconnectReason.PARTICIPANT_REMOVED);
    expect((await b.next('leave')).reason).toBe(DisconnectReason.PARTICIPANT_REMOVED);
    await eventually(() => (b.closed ? '' : 'bob socket still open'));
    server.core.rooms.close(room, DisconnectReason.ROOM_DELETED);
    expect((await a.next('leave')).reason).toBe(DisconnectReason.ROOM_DELETED);
    await eventually(() => (a.closed ? '' : 'alice socket still open'));
  });

  it('room metadata change → room_update', async () => {
    const a = await SignalClient.open(await v1Url(), await token('alice'));
    open.push(a);
    await a.next('join');
    server.core.rooms.updateRoomMetadata(server.core.rooms.get('r1')!, 'hello');
    expect((await a.next('roomUpdate')).room?.metadata).toBe('hello');
  });

  it("a token's roomConfig.agents applies only when that join creates the room", async () => {
    const cfg = (agentName: string) => ({ agents: [{ agentName, metadata: 'm' }] });
    const a = await SignalClient.open(await v1Url(), await token('alice', undefined, { roomConfig: cfg('first') }));
    const b = await SignalClient.open(await v1Url(), await token('bob', undefined, { roomConfig: cfg('second') }));
    open.push(a, b);
    await a.next('join');
    await b.next('join');
    const names = [...server.core.rooms.get('r1')!.dispatches.values()].map((d) => d.dispatch.agentName);
    expect(names).toEqual(['first']);
  });

  it('signal loss without leave: the participant leaves after the grace period (SIGNAL_CLOSE)', async () => {
    await server.close();
    server = await startMockServer({ port: 0, timing: 'fast', rtc: { signalLossGraceMs: 200 } });
    const a = await SignalClient.open(await v1Url(), await token('alice'));
    await a.next('join');
    a.close();
    expect(server.core.rooms.get('r1')?.participants.has('alice')).toBe(true);
    await eventually(() => (server.core.rooms.get('r1')?.participants.has('alice') ? 'alice still in the room' : ''));
    expect(server.trace.since(0).some((e) => e.kind === 'participant.left' && e.reason === 'SIGNAL_CLOSE')).toBe(true);
  });

  it('rtc: false leaves /rtc unmounted', async () => {
    await server.close();
    server = await startMockServer({ port: 0, timing: 'fast', rtc: false });
    expect((await refusedUpgrade(`${server.wsUrl}/rtc`, await token('u'))).status).toBe(404);
  });
});
