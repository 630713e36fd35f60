import {
  CreateRoomRequest,
  ListRoomsRequest,
  ListRoomsResponse,
  ParticipantInfo_Kind,
  ParticipantPermission,
  Room,
  RoomAgentDispatch,
} from '@livekit/protocol';
import { AgentDispatchClient, RoomServiceClient, TwirpError } from 'livekit-server-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { startLab, type Lab } from '../support/harness.ts';

const big = (n: number) => 'x'.repeat(n);

describe('Twirp RoomService / AgentDispatchService with livekit-server-sdk', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await startLab();
  });
  afterEach(() => lab.close());

  const join = (room: string, identity: string, extra: Record<string, unknown> = {}) =>
    lab.control('POST', `/rooms/${room}/participants`, { identity, ...extra });
  const fail = async (p: Promise<unknown>) => {
    const e = await p.then(
      () => undefined,
      (err: unknown) => err,
    );
    if (!(e instanceof TwirpError)) throw new Error(`expected a TwirpError, got ${String(e)}`);
    return { status: e.status, code: e.code, message: e.message, metadata: e.metadata };
  };
  /** A client whose token has exactly these grants. */
  const clientWith = async (grant: Record<string, unknown>) => {
    const t = await lab.token(grant);
    const post = (svc: string, m: string, body: unknown) =>
      fetch(`${lab.server.httpUrl}/twirp/livekit.${svc}/${m}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${t}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    return post;
  };

  it('RoomService: every method works unchanged', async () => {
    const rooms = lab.rooms;
    const r = await rooms.createRoom({ name: 'twirp-room', emptyTimeout: 60, departureTimeout: 5, maxParticipants: 7, metadata: 'md' });
    expect(r).toMatchObject({ name: 'twirp-room', emptyTimeout: 60, departureTimeout: 5, maxParticipants: 7, metadata: 'md', numParticipants: 0 });
    expect(r.sid).toMatch(/^RM_/);
    await rooms.createRoom({ name: 'other' });
    expect((await rooms.listRooms()).map((x) => x.name).sort()).toEqual(['other', 'twirp-room']);
    expect((await rooms.listRooms(['other'])).map((x) => x.name)).toEqual(['other']);

    expect((await join('twirp-room', 'alice', { name: 'Alice' })).status).toBe(201);
    expect((await join('twirp-room', 'bot', { kind: 'agent' })).status).toBe(201);
    const ps = await rooms.listParticipants('twirp-room');
    expect(ps.map((p) => [p.identity, p.kind])).toEqual([
      ['alice', ParticipantInfo_Kind.STANDARD],
      ['bot', ParticipantInfo_Kind.AGENT],
    ]);
    // agents do not count; the cached Room is refreshed on the room's update ticker, as on livekit-server
    await eventually(async () => ((await rooms.listRooms(['twirp-room']))[0].numParticipants === 1 ? '' : 'numParticipants is not 1 yet'));
    expect((await rooms.getParticipant('twirp-room', 'alice')).name).toBe('Alice');

    const updated = await rooms.updateParticipant('twirp-room', 'alice', {
      metadata: 'pmd',
      name: 'Alicia',
      attributes: { a: '1' },
      permission: new ParticipantPermission({ canPublish: false, canSubscribe: true }),
    });
    expect(updated).toMatchObject({ identity: 'alice', metadata: 'pmd', name: 'Alicia', attributes: { a: '1' } });
    expect(updated.permission?.canPublish).toBe(false);

    const room = await rooms.updateRoomMetadata('twirp-room', 'md2');
    expect(room.metadata).toBe('md2');

    await rooms.removeParticipant('twirp-room', 'alice');
    expect((await rooms.listParticipants('twirp-room')).map((p) => p.identity)).toEqual(['bot']);

    await rooms.deleteRoom('twirp-room');
    expect((await rooms.listRooms()).map((x) => x.name)).toEqual(['other']);
    expect(lab.events('room.closed')[0]).toMatchObject({ room: 'twirp-room', reason: 'ROOM_DELETED' });
  });

  it('AgentDispatchService: create, list, get, delete', async () => {
    // (the SDK's createDispatch does not send `attributes`)
    const d = await lab.dispatch.createDispatch('ad-room', 'helper', { metadata: 'm' });
    expect(d).toMatchObject({ agentName: 'helper', room: 'ad-room', metadata: 'm', attributes: {} });
    expect(d.id).toMatch(/^AD_/);
    const all = await lab.dispatch.listDispatch('ad-room');
    expect(all.map((x) => x.agentName).sort()).toEqual(['', 'helper']);
    expect((await lab.dispatch.getDispatch(d.id, 'ad-room'))?.id).toBe(d.id);
    await lab.dispatch.deleteDispatch(d.id, 'ad-room');
    expect((await lab.dispatch.listDispatch('ad-room')).map((x) => x.agentName)).toEqual(['']);
  });

  it('not_found errors carry the psrpc wording', async () => {
    await lab.rooms.createRoom({ name: 'nf' });
    const notFound = (message: string) => ({ status: 404, code: 'not_found', message: `twirp error unknown: ${message}` });
    expect(await fail(lab.rooms.deleteRoom('nope'))).toMatchObject(notFound('requested room does not exist'));
    expect(await fail(lab.rooms.removeParticipant('nf', 'ghost'))).toMatchObject(notFound('participant does not exist'));
    expect(await fail(lab.rooms.getParticipant('nf', 'ghost'))).toMatchObject(notFound('participant does not exist'));
    expect(await fail(lab.rooms.updateParticipant('nf', 'ghost', { metadata: 'x' }))).toMatchObject(notFound('participant does not exist'));
    expect(await fail(lab.rooms.updateRoomMetadata('nope', 'x'))).toMatchObject(notFound('requested room does not exist'));
    expect(await fail(lab.dispatch.deleteDispatch('AD_nope', 'nf'))).toMatchObject(notFound('dispatch ID not found'));
    // ListParticipants on an unknown room is an empty list, not an error
    expect(await lab.rooms.listParticipants('nope')).toEqual([]);
  });

  it('missing grants → unauthenticated "permissions denied", per method', async () => {
    // the SDK mints a token with exactly the grants each method needs; raw calls carry the wrong grants instead
    const listOnly = await clientWith({ roomList: true });
    for (const [svc, m, body] of [
      ['RoomService', 'CreateRoom', { name: 'r' }],
      ['RoomService', 'DeleteRoom', { room: 'r' }],
      ['RoomService', 'ListParticipants', { room: 'r' }],
      ['RoomService', 'RemoveParticipant', { room: 'r', identity: 'a' }],
      ['AgentDispatchService', 'CreateDispatch', { room: 'r', agent_name: 'a' }],
      ['AgentDispatchService', 'ListDispatch', { room: 'r' }],
    ] as const) {
      const res = await listOnly(svc, m, body);
      expect(res.status, `${svc}/${m}`).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(await res.json()).toEqual({ code: 'unauthenticated', msg: 'permissions denied' });
    }
    const createOnly = await clientWith({ roomCreate: true });
    expect((await createOnly('RoomService', 'ListRooms', {})).status).toBe(401);
    // no token at all
    const res = await fetch(`${lab.server.httpUrl}/twirp/livekit.RoomService/ListRooms`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ code: 'unauthenticated', msg: 'permissions denied' });
  });

  it('roomAdmin for another room is denied (admin room mismatch)', async () => {
    const admin = await clientWith({ roomAdmin: true, room: 'room-a' });
    for (const [svc, m, body] of [
      ['RoomService', 'ListParticipants', { room: 'room-b' }],
      ['RoomService', 'UpdateRoomMetadata', { room: 'room-b', metadata: 'x' }],
      ['AgentDispatchService', 'CreateDispatch', { room: 'room-b', agent_name: 'a' }],
      ['AgentDispatchService', 'DeleteDispatch', { room: 'room-b', dispatch_id: 'AD_x' }],
    ] as const) {
      const res = await admin(svc, m, body);
      expect(res.status, `${svc}/${m}`).toBe(401);
      expect(await res.json()).toEqual({ code: 'unauthenticated', msg: 'permissions denied' });
    }
    // the same grant works for its own room
    expect((await admin('RoomService', 'ListParticipants', { room: 'room-a' })).status).toBe(200);
  });

  it('invalid_argument for oversized metadata, attributes, names and bad deployments', async () => {
    await lab.rooms.createRoom({ name: 'lim' });
    expect((await join('lim', 'alice')).status).toBe(201);
    const sized = (arg: string, limit: number) => ({ status: 400, code: 'invalid_argument', message: `${arg} ${limit}`, metadata: { argument: arg } });
    expect(await fail(lab.rooms.createRoom({ name: 'big', metadata: big(512 * 1024 + 1) }))).toMatchObject(sized('metadata size exceeds limits', 524288));
    expect(await fail(lab.rooms.createRoom({ name: 'big', agents: [new RoomAgentDispatch({ agentName: 'a', attributes: { k: big(64 * 1024) } })] }))).toMatchObject(
      sized('attribute size exceeds limits', 65536),
    );
    expect(await fail(lab.rooms.updateRoomMetadata('lim', big(512 * 1024 + 1)))).toMatchObject(sized('metadata size exceeds limits', 524288));
    expect(await fail(lab.rooms.updateParticipant('lim', 'alice', { name: big(257) }))).toMatchObject(sized('name length exceeds limits', 256));
    expect(await fail(lab.rooms.updateParticipant('lim', 'alice', { attributes: { k: big(64 * 1024) } }))).toMatchObject(sized('attribute size exceeds limits', 65536));
    // exactly at the limit is fine
    await lab.rooms.updateRoomMetadata('lim', big(512 * 1024));
    expect(await fail(lab.rooms.createRoom({ name: big(257) }))).toMatchObject({
      status: 400,
      code: 'invalid_argument',
      message: 'twirp error unknown: room name length exceeds limits: max length 256',
    });
    // CreateDispatch returns the bare psrpc errors
    const psrpc = (message: string) => ({ status: 400, code: 'invalid_argument', message: `twirp error unknown: ${message}`, metadata: undefined });
    expect(await fail(lab.dispatch.createDispatch('lim', 'a', { metadata: big(512 * 1024 + 1) }))).toMatchObject(psrpc('metadata size exceeds limits'));
    const raw = await clientWith({ roomAdmin: true, room: 'lim' });
    const attrs = await raw('AgentDispatchService', 'CreateDispatch', { room: 'lim', agent_name: 'a', attributes: { k: big(64 * 1024) } });
    expect(attrs.status).toBe(400);
    expect(await attrs.json()).toEqual({ code: 'invalid_argument', msg: psrpc('attribute size exceeds limits').message });
    const res = await raw('AgentDispatchService', 'CreateDispatch', { room: 'lim', agent_name: 'a', deployment: 'a_b' });
    expect(await res.json()).toEqual({ code: 'invalid_argument', msg: "twirp error unknown: deployment contains reserved character '_'" });
  });

  it('sizes are checked before permissions for UpdateRoomMetadata / UpdateParticipant, after for CreateRoom', async () => {
    const nobody = await clientWith({ roomList: true });
    expect(((await (await nobody('RoomService', 'UpdateRoomMetadata', { room: 'x', metadata: big(512 * 1024 + 1) })).json()) as { code: string }).code).toBe('invalid_argument');
    expect(((await (await nobody('RoomService', 'UpdateParticipant', { room: 'x', identity: 'a', name: big(300) })).json()) as { code: string }).code).toBe('invalid_argument');
    expect(((await (await nobody('RoomService', 'CreateRoom', { name: 'x', metadata: big(512 * 1024 + 1) })).json()) as { code: string }).code).toBe('unauthenticated');
  });

  const rawPost = async (path: string, init: RequestInit & { token?: string } = {}) => {
    const t = init.token ?? (await lab.token({ roomList: true, roomCreate: true }));
    return fetch(`${lab.server.httpUrl}${path}`, { method: 'POST', ...init, headers: { Authorization: `Bearer ${t}`, ...(init.headers ?? {}) } });
  };

  it('bad_route for a wrong content type, a wrong HTTP method and an unknown method; errors are exactly application/json', async () => {
    const ct = await rawPost('/twirp/livekit.RoomService/ListRooms', { headers: { 'Content-Type': 'text/plain' }, body: '{}' });
    expect(ct.status).toBe(404);
    expect(ct.headers.get('content-type')).toBe('application/json');
    expect(await ct.json()).toEqual({
      code: 'bad_route',
      msg: 'unexpected Content-Type: "text/plain"',
      meta: { twirp_invalid_route: 'POST /twirp/livekit.RoomService/ListRooms' },
    });
    const get = await rawPost('/twirp/livekit.RoomService/ListRooms', { method: 'GET' });
    expect(get.status).toBe(404);
    expect(await get.json()).toEqual({
      code: 'bad_route',
      msg: 'unsupported method "GET" (only POST is allowed)',
      meta: { twirp_invalid_route: 'GET /twirp/livekit.RoomService/ListRooms' },
    });
    const unknown = await rawPost('/twirp/livekit.RoomService/Nope', { headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/json');
    expect(await unknown.json()).toEqual({
      code: 'bad_route',
      msg: 'no handler for path "/twirp/livekit.RoomService/Nope"',
      meta: { twirp_invalid_route: 'POST /twirp/livekit.RoomService/Nope' },
    });
    // the content type may carry parameters (the SDK sends ;charset=UTF-8)
    const withCharset = await rawPost('/twirp/livekit.RoomService/ListRooms', { headers: { 'Content-Type': 'Application/JSON; charset=utf-8' }, body: '{}' });
    expect(withCharset.status).toBe(200);
  });

  it('malformed JSON → malformed 400', async () => {
    for (const body of ['{bad', '']) {
      const res = await rawPost('/twirp/livekit.RoomService/ListRooms', { headers: { 'Content-Type': 'application/json' }, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/json');
      // exactly this, without meta (as livekit-server v1.13.5 answers)
      expect(await res.json()).toEqual({ code: 'malformed', msg: 'the json request could not be decoded' });
    }
  });

  it('JSON requests accept snake_case and lowerCamelCase; responses use snake_case and emit defaults', async () => {
    const t = await lab.token({ roomCreate: true });
    for (const body of [{ name: 'a', empty_timeout: 30 }, { name: 'b', emptyTimeout: 30 }]) {
      const res = await rawPost('/twirp/livekit.RoomService/CreateRoom', { token: t, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      const j = (await res.json()) as Record<string, unknown>;
      expect(j.empty_timeout).toBe(30);
      expect(j).toHaveProperty('max_participants', 0);
      expect(j).toHaveProperty('metadata', '');
      expect(typeof j.creation_time).toBe('string'); // int64 as a JSON string
    }
  });

  it('protobuf bodies work too and are answered in protobuf', async () => {
    const t = await lab.token({ roomCreate: true, roomList: true });
    const created = await rawPost('/twirp/livekit.RoomService/CreateRoom', {
      token: t,
      headers: { 'Content-Type': 'application/protobuf' },
      body: Buffer.from(new CreateRoomRequest({ name: 'pb-room', metadata: 'pb' }).toBinary()),
    });
    expect(created.status).toBe(200);
    expect(created.headers.get('content-type')).toBe('application/protobuf');
    const room = Room.fromBinary(new Uint8Array(await created.arrayBuffer()));
    expect(room).toMatchObject({ name: 'pb-room', metadata: 'pb' });
    const listed = await rawPost('/twirp/livekit.RoomService/ListRooms', {
      token: t,
      headers: { 'Content-Type': 'application/protobuf' },
      body: Buffer.from(new ListRoomsRequest({ names: ['pb-room'] }).toBinary()),
    });
    expect(ListRoomsResponse.fromBinary(new Uint8Array(await listed.arrayBuffer())).rooms.map((r) => r.sid)).toEqual([room.sid]);
    // a protobuf error is still JSON
    const bad = await rawPost('/twirp/livekit.RoomService/DeleteRoom', { token: t, headers: { 'Content-Type': 'application/protobuf' }, body: Buffer.alloc(0) });
    expect(bad.status).toBe(404);
    expect(bad.headers.get('content-type')).toBe('application/json');
  });

  it('a bad token on a Twirp path gets the plain-text 401 of the middleware, not Twirp JSON', async () => {
    const bad = new RoomServiceClient(lab.server.httpUrl, lab.server.apiKey, 'wrong-secret');
    const e = await fail(bad.listRooms());
    expect(e.status).toBe(401);
    expect(e.code).toBeUndefined();
    expect(e.message).toMatch(/^invalid token: .+, error: token signature is invalid: signature is invalid$/);
    const res = await fetch(`${lab.server.httpUrl}/twirp/livekit.RoomService/ListRooms`, {
      method: 'POST',
      headers: { Authorization: 'Bearer x.y', 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).not.toBe('application/json');
    expect(await res.text()).toBe('invalid authorization token');
    const unknownKey = new AgentDispatchClient(lab.server.httpUrl, 'other-key', 'whatever');
    expect(await fail(unknownKey.listDispatch('r'))).toMatchObject({ status: 401, message: 'invalid API key: other-key' });
  });

  it('every API call is traced with its status and code', async () => {
    await lab.rooms.createRoom({ name: 'traced' });
    await fail(lab.rooms.deleteRoom('nope'));
    const calls = lab.events('api.call').map((c) => [c.service, c.method, c.status, c.code ?? '', c.room ?? '']);
    expect(calls).toEqual([
      ['livekit.RoomService', 'CreateRoom', 200, '', 'traced'],
      ['livekit.RoomService', 'DeleteRoom', 404, 'not_found', 'nope'],
    ]);
  });
});
