import {
  CreateAgentDispatchRequest,
  CreateRoomRequest,
  DeleteRoomRequest,
  ListParticipantsRequest,
  ListRoomsRequest,
  RoomParticipantIdentity,
  UpdateParticipantRequest,
  UpdateRoomMetadataRequest,
} from '@livekit/protocol';
import type { Rng } from './rng.ts';

const TWIRP_CATEGORIES = ['bad_json', 'wrong_types', 'content_type', 'oversized', 'random_bytes', 'valid', 'http_method'] as const;
export type TwirpCategory = (typeof TWIRP_CATEGORIES)[number];

export interface TwirpInput {
  category: TwirpCategory;
  label: string;
  service: string;
  method: string;
  httpMethod: string;
  contentType?: string;
  body: Buffer;
  /** Rooms an input names use this prefix, so runs against one server do not collide. */
  room: string;
}

/**
 * Methods whose handling does not wait on a room's RPC (ListDispatch/DeleteDispatch on a missing room wait
 * 3 s in livekit-server before `unavailable`); those two are fuzzed with a live room name only.
 */
export const FUZZED_METHODS: readonly (readonly [string, string])[] = [
  ['livekit.RoomService', 'CreateRoom'],
  ['livekit.RoomService', 'ListRooms'],
  ['livekit.RoomService', 'DeleteRoom'],
  ['livekit.RoomService', 'ListParticipants'],
  ['livekit.RoomService', 'GetParticipant'],
  ['livekit.RoomService', 'RemoveParticipant'],
  ['livekit.RoomService', 'UpdateParticipant'],
  ['livekit.RoomService', 'UpdateRoomMetadata'],
  ['livekit.AgentDispatchService', 'CreateDispatch'],
];

function validJson(rng: Rng, method: string, room: string): Record<string, unknown> {
  switch (method) {
    case 'CreateRoom':
      // empty timeouts of 0 (the default) or >= 300 s: a room that expires during a run (1-4 s did) makes later inputs
      // depend on each server's 1 s room ticker phase, which no two processes share (seed 20789, twirp:142)
      return new CreateRoomRequest({ name: room, emptyTimeout: 300 * rng.int(5), metadata: rng.text(20) }).toJson() as Record<string, unknown>;
    case 'ListRooms':
      return new ListRoomsRequest({ names: rng.chance(0.5) ? [room] : [] }).toJson() as Record<string, unknown>;
    case 'DeleteRoom':
      return new DeleteRoomRequest({ room }).toJson() as Record<string, unknown>;
    case 'ListParticipants':
      return new ListParticipantsRequest({ room }).toJson() as Record<string, unknown>;
    case 'GetParticipant':
    case 'RemoveParticipant':
      return new RoomParticipantIdentity({ room, identity: rng.text(8) }).toJson() as Record<string, unknown>;
    case 'UpdateParticipant':
      return new UpdateParticipantRequest({ room, identity: rng.text(8), metadata: rng.text(10), name: rng.text(5) }).toJson() as Record<string, unknown>;
    case 'UpdateRoomMetadata':
      return new UpdateRoomMetadataRequest({ room, metadata: rng.text(30) }).toJson() as Record<string, unknown>;
    default:
      return new CreateAgentDispatchRequest({ room, agentName: rng.text(6), metadata: rng.text(10) }).toJson() as Record<string, unknown>;
  }
}

function wrongType(rng: Rng, obj: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(obj);
  const key = keys.length ? rng.pick(keys) : rng.pick(['room', 'name', 'identity', 'metadata']);
  // eslint-disable-next-line no-loss-of-precision -- 1e309 overflows to Infinity on purpose
  return { ...obj, [key]: rng.pick<unknown>([5, true, null, [1, 2], { a: 1 }, -1.5, '\u0000', 1e309 === Infinity ? 'Infinity' : 0]) };
}

/** Draws one Twirp request. */
export function twirpInput(rng: Rng, roomPrefix: string, category?: TwirpCategory): TwirpInput {
  const cat = category ?? rng.pick(TWIRP_CATEGORIES);
  const [service, method] = rng.pick(FUZZED_METHODS);
  const room = `${roomPrefix}${rng.int(20)}`;
  const base = validJson(rng, method, room);
  const json = (v: unknown) => Buffer.from(JSON.stringify(v));
  const mk = (label: string, body: Buffer, contentType: string | undefined = 'application/json', httpMethod = 'POST'): TwirpInput => ({
    category: cat,
    label: `${method}: ${label}`,
    service,
    method,
    httpMethod,
    contentType,
    body,
    room,
  });
  switch (cat) {
    case 'bad_json': {
      const text = JSON.stringify(base);
      const variant = rng.int(5);
      if (variant === 0) return mk('truncated JSON', Buffer.from(text.slice(0, rng.int(text.length))));
      if (variant === 1) return mk('JSON array', json([base]));
      if (variant === 2) return mk('JSON scalar', Buffer.from(rng.pick(['1', '"x"', 'true', 'null'])));
      if (variant === 3) return mk('trailing garbage', Buffer.from(`${text}}`));
      return mk('invalid UTF-8 in JSON', Buffer.concat([Buffer.from('{"room":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]));
    }
    case 'wrong_types':
      return mk('wrong field type', json(wrongType(rng, base)));
    case 'content_type': {
      const ct = rng.pick<string | undefined>([undefined, 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/jsonx', 'application/protobuf', 'multipart/form-data']);
      return mk(`content type ${JSON.stringify(ct ?? null)}`, json(base), ct);
    }
    case 'oversized': {
      const variant = rng.int(4);
      if (variant === 0) return mk('600 KiB of metadata', json({ ...base, metadata: 'm'.repeat(600 * 1024) }));
      if (variant === 1) return mk('70 KiB of attributes', json({ ...base, attributes: { big: 'a'.repeat(70 * 1024) } }));
      if (variant === 2) return mk('300-byte name and room', json({ ...base, name: 'n'.repeat(300), room: `${room}${'r'.repeat(300)}` }));
      return mk('4 MiB body of whitespace', Buffer.concat([Buffer.from(' '.repeat(4 * 1024 * 1024)), json(base)]));
    }
    case 'random_bytes':
      return mk('random bytes as protobuf', rng.bytes(rng.pick([0, 1, 5, 40, 300])), 'application/protobuf');
    case 'http_method':
      return mk('not POST', json(base), 'application/json', rng.pick(['GET', 'PUT', 'DELETE', 'PATCH']));
    case 'valid':
      return mk('valid request', json(base));
  }
}

export interface TwirpReaction {
  status: number;
  /** 'twirp:<code>' for a Twirp JSON error, 'ok' for 200, 'text' for plain text, 'other' for anything else. */
  bodyClass: string;
}

/** Sends one Twirp request with the given token and classifies the answer. */
export async function sendTwirp(httpUrl: string, input: TwirpInput, token: string | undefined, timeoutMs = 15_000): Promise<TwirpReaction> {
  const headers: Record<string, string> = {};
  if (input.contentType !== undefined) headers['Content-Type'] = input.contentType;
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`${httpUrl}/twirp/${input.service}/${input.method}`, {
    method: input.httpMethod,
    headers,
    body: input.httpMethod === 'GET' ? undefined : input.body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  return classifyResponse(res.status, res.headers.get('content-type') ?? '', await res.text());
}

export function classifyResponse(status: number, contentType: string, text: string): TwirpReaction {
  if (status === 200) return { status, bodyClass: 'ok' };
  if (contentType.startsWith('application/json')) {
    try {
      const v = JSON.parse(text) as { code?: unknown };
      if (typeof v.code === 'string') return { status, bodyClass: `twirp:${v.code}` };
    } catch {
      /* fall through */
    }
    return { status, bodyClass: 'other' };
  }
  if (contentType.startsWith('text/plain')) return { status, bodyClass: 'text' };
  return { status, bodyClass: `other(${contentType})` };
}
