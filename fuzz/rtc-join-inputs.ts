import { gzipSync } from 'node:zlib';
import { ClientInfo, ClientInfo_SDK, ConnectionSettings, JoinRequest, WrappedJoinRequest, WrappedJoinRequest_Compression } from '@livekit/protocol';
import type { VideoGrant } from '../mock-server/auth/claims.ts';
import { mutate } from './mutate.ts';
import type { Rng } from './rng.ts';

export const RTC_JOIN_CATEGORIES = ['random_b64', 'bad_b64', 'truncated', 'bad_gzip', 'mutated_wrapped', 'mutated_join', 'fields', 'legacy', 'grants'] as const;
export type RtcJoinCategory = (typeof RTC_JOIN_CATEGORIES)[number];

/**
 * One request to the /rtc entry points before any WebSocket exists: a path, a query string and the grants
 * of the token sent with it. `upgrade` = a WebSocket upgrade (/rtc, /rtc/v1), otherwise a GET (/validate).
 * The reaction is the HTTP status and body, which only the differential run can check in full; the mock
 * alone must answer 101 or 4xx with a body, never 5xx, never hang.
 */
export interface RtcJoinInput {
  category: RtcJoinCategory;
  label: string;
  path: '/rtc' | '/rtc/v1' | '/rtc/validate' | '/rtc/v1/validate';
  query: string;
  grants: { video: VideoGrant; metadata?: string; attributes?: Record<string, string> };
}

/**
 * A join request with no publisher offer: a v1 join without an offer is accepted by livekit-server, and
 * without SDP neither server starts ICE (nothing is sent anywhere during the fuzz).
 */
export function validJoinRequest(rng: Rng): JoinRequest {
  return new JoinRequest({
    clientInfo: new ClientInfo({ sdk: rng.pick([ClientInfo_SDK.JS, ClientInfo_SDK.NODE, ClientInfo_SDK.RUST]), version: rng.text(6), protocol: rng.pick([0, 15, 16, 17]) }),
    connectionSettings: new ConnectionSettings({ autoSubscribe: rng.chance(0.5), adaptiveStream: rng.chance(0.5) }),
    metadata: rng.chance(0.3) ? rng.text(30) : '',
    participantAttributes: rng.chance(0.3) ? { [rng.text(6) || 'k']: rng.text(8) } : {},
    reconnect: rng.chance(0.05),
  });
}

export function wrap(jr: Uint8Array, compression: WrappedJoinRequest_Compression): Buffer {
  const inner = compression === WrappedJoinRequest_Compression.GZIP ? gzipSync(jr) : jr;
  return Buffer.from(new WrappedJoinRequest({ compression, joinRequest: inner }).toBinary());
}

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64url');
/** Go's base64.URLEncoding pads; the Rust SDK sends the padding. */
export const padded = (s: string) => s + '='.repeat((4 - (s.length % 4)) % 4);

const param = (name: string, value: string) => `${name}=${encodeURIComponent(value)}`;

function grantsFor(rng: Rng, room: string, canUpdate = rng.chance(0.5)): RtcJoinInput['grants'] {
  return { video: { roomJoin: true, room, canUpdateOwnMetadata: canUpdate } };
}

/** Draws one /rtc join or validate input. `identity` keeps inputs from colliding inside one room. */
export function rtcJoinInput(rng: Rng, room: string, category?: RtcJoinCategory): RtcJoinInput {
  const cat = category ?? rng.pick(RTC_JOIN_CATEGORIES);
  const validate = rng.chance(0.4);
  const v1Path = validate ? '/rtc/v1/validate' : '/rtc/v1';
  const v0Path = validate ? '/rtc/validate' : '/rtc';
  const jr = (p: string, label: string, grants = grantsFor(rng, room)): RtcJoinInput => ({
    category: cat,
    label,
    path: rng.chance(0.85) ? v1Path : v0Path, // join_request on /rtc (v0) is honoured there too
    query: param('join_request', p),
    grants,
  });
  const compression = rng.pick([WrappedJoinRequest_Compression.GZIP, WrappedJoinRequest_Compression.NONE]);
  switch (cat) {
    case 'random_b64': {
      const bytes = rng.bytes(rng.pick([1, 2, 3, 5, 16, 64, 300]));
      const s = b64(bytes);
      const pad = rng.chance(0.7);
      return jr(pad ? padded(s) : s, `random ${bytes.length} bytes${pad ? '' : ' (unpadded)'}`);
    }
    case 'bad_b64': {
      const full = padded(b64(wrap(validJoinRequest(rng).toBinary(), compression)));
      const forms: [string, string][] = [
        ['standard alphabet (+/)', Buffer.from(full, 'base64url').toString('base64')],
        ['unpadded', full.replace(/=+$/, '')],
        ['padding in the middle', `${full.slice(0, 4)}=${full.slice(4)}`],
        ['a stray character', `${full.slice(0, 8)}${rng.pick(['!', '.', '~', '*', ' ', '\u00e9'])}${full.slice(8)}`],
        ['too much padding', `${full}==`],
        ['newlines inside', `${full.slice(0, 8)}\n${full.slice(8)}`],
      ];
      const [label, value] = rng.pick(forms);
      return jr(value, `base64: ${label}`);
    }
    case 'truncated': {
      const full = wrap(validJoinRequest(rng).toBinary(), compression);
      const cut = rng.int(full.length);
      return jr(padded(b64(full.subarray(0, cut))), `wrapped request cut at ${cut}/${full.length}`);
    }
    case 'bad_gzip': {
      const good = gzipSync(validJoinRequest(rng).toBinary());
      const bodies: [string, Buffer][] = [
        ['random bytes', rng.bytes(rng.pick([0, 1, 10, 100]))],
        ['gzip cut short', good.subarray(0, rng.int(good.length))],
        ['gzip with a flipped byte', mutate(rng, good, 1)],
        ['gzip of random bytes', gzipSync(rng.bytes(50))],
        ['gzip bomb over 1 MiB', gzipSync(Buffer.alloc((1 << 20) + rng.range(1, 100)))],
        ['uncompressed while GZIP is declared', Buffer.from(validJoinRequest(rng).toBinary())],
      ];
      const [label, body] = rng.pick(bodies);
      const w = new WrappedJoinRequest({ compression: WrappedJoinRequest_Compression.GZIP, joinRequest: body });
      return jr(padded(b64(w.toBinary())), `gzip: ${label}`);
    }
    case 'mutated_wrapped': {
      const full = wrap(validJoinRequest(rng).toBinary(), compression);
      return jr(padded(b64(mutate(rng, full))), `wrapped request with byte mutations (${compression === WrappedJoinRequest_Compression.GZIP ? 'gzip' : 'none'})`);
    }
    case 'mutated_join': {
      const inner = mutate(rng, Buffer.from(validJoinRequest(rng).toBinary()));
      const c = rng.pick([WrappedJoinRequest_Compression.GZIP, WrappedJoinRequest_Compression.NONE, 2 as WrappedJoinRequest_Compression, 7 as WrappedJoinRequest_Compression]);
      return jr(padded(b64(wrap(inner, c))), `join request with byte mutations (compression ${c})`);
    }
    case 'fields': {
      const req = validJoinRequest(rng);
      const what = rng.pick(['metadata', 'attributes', 'big metadata', 'empty request', 'reconnect']);
      if (what === 'metadata') req.metadata = rng.text(40) || 'm';
      if (what === 'attributes') req.participantAttributes = { [rng.text(4)]: rng.text(4), a: '' };
      if (what === 'big metadata') req.metadata = 'm'.repeat(rng.pick([64 * 1024, 600 * 1024]));
      const bytes = what === 'empty request' ? new Uint8Array() : req.toBinary();
      if (what === 'reconnect') req.reconnect = true;
      return jr(padded(b64(wrap(what === 'reconnect' ? req.toBinary() : bytes, compression))), `join request: ${what}`);
    }
    case 'legacy': {
      const params: string[] = [];
      const attrForms = [
        () => b64(Buffer.from(JSON.stringify({ [rng.text(4) || 'a']: rng.text(4) }))),
        () => padded(b64(Buffer.from(JSON.stringify({ a: rng.text(4) })))),
        () => padded(b64(Buffer.from(rng.pick(['null', '[]', '{"a":1}', '{"a":null}', '"s"', '{', '{"a":"b"}'])))),
        () => rng.text(12),
      ];
      if (rng.chance(0.6)) params.push(param('attributes', rng.pick(attrForms)()));
      if (rng.chance(0.3)) params.push(param('reconnect', rng.pick(['1', 'true', '0', 'yes', ''])));
      if (rng.chance(0.3)) params.push(param('auto_subscribe', rng.pick(['1', 'true', '0', 'false', 'x'])));
      if (rng.chance(0.3)) params.push(param('protocol', rng.pick(['0', '9', '17', '999', '-1', 'abc'])));
      if (rng.chance(0.3)) params.push(param('sdk', rng.pick(['js', 'rust', 'python', rng.text(8)])));
      if (rng.chance(0.2)) params.push(param('publish', rng.text(8)));
      if (rng.chance(0.2)) params.push(param('adaptive_stream', rng.pick(['1', '0'])));
      if (rng.chance(0.1)) params.push(param(rng.text(6) || 'x', rng.text(6)));
      const path = rng.chance(0.8) ? v0Path : v1Path;
      return { category: cat, label: `legacy query ${params.map((p) => p.split('=')[0]).join(',') || '(none)'}${path.includes('v1') ? ' on v1' : ''}`, path, query: params.join('&'), grants: grantsFor(rng, room) };
    }
    case 'grants': {
      const variants: [string, RtcJoinInput['grants']][] = [
        ['no roomJoin', { video: { room } }],
        ['no room', { video: { roomJoin: true } }],
        ['room name too long', { video: { roomJoin: true, room: `${room}${'r'.repeat(300)}` } }],
        ['hidden', { video: { roomJoin: true, room, hidden: true } }],
        ['no publish', { video: { roomJoin: true, room, canPublish: false } }],
        ['token metadata and attributes', { video: { roomJoin: true, room }, metadata: rng.text(20), attributes: { [rng.text(3) || 'k']: rng.text(3) } }],
      ];
      const [label, grants] = rng.pick(variants);
      const withJr = rng.chance(0.5);
      return {
        category: cat,
        label: `grants: ${label}${withJr ? '' : ' (v0)'}`,
        path: withJr ? v1Path : v0Path,
        query: withJr ? param('join_request', padded(b64(wrap(validJoinRequest(rng).toBinary(), compression)))) : '',
        grants,
      };
    }
  }
}
