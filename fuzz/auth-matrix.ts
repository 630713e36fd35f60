import { request } from 'node:http';
import { randomBytes } from 'node:crypto';
import { signHs256 } from '../mock-server/auth/jwt.ts';
import type { VideoGrant } from '../mock-server/auth/claims.ts';
import type { Credentials } from './tokens.ts';

/** One row of the auth matrix: what the client sends for credentials. */
export interface AuthCase {
  name: string;
  /** The Authorization header (undefined = none). */
  header(creds: Credentials, room: string): string | undefined;
}

const now = () => Math.floor(Date.now() / 1000);
const ALL: VideoGrant = { roomCreate: true, roomList: true, roomAdmin: true, roomRecord: true, agent: true, roomJoin: true };
const signed = (creds: Credentials, claims: Record<string, unknown>, secret = creds.apiSecret) =>
  `Bearer ${signHs256({ iss: creds.apiKey, sub: 'auth-matrix', nbf: now() - 5, exp: now() + 600, ...claims }, secret)}`;

export const AUTH_CASES: readonly AuthCase[] = [
  { name: 'no token', header: () => undefined },
  { name: 'not a Bearer header', header: () => 'Basic ZGV2a2V5OnNlY3JldA==' },
  { name: 'malformed token', header: () => 'Bearer not-a-jwt' },
  { name: 'three segments, not JSON', header: () => 'Bearer aaa.bbb.ccc' },
  { name: 'wrong API key', header: (c, room) => signed({ ...c, apiKey: 'nosuchkey' }, { video: { ...ALL, room } }) },
  { name: 'bad signature', header: (c, room) => signed(c, { video: { ...ALL, room } }, `${c.apiSecret}-wrong`) },
  { name: 'expired', header: (c, room) => signed(c, { video: { ...ALL, room }, nbf: now() - 7200, exp: now() - 3600 }) },
  { name: 'not yet valid', header: (c, room) => signed(c, { video: { ...ALL, room }, nbf: now() + 3600, exp: now() + 7200 }) },
  { name: 'missing grants', header: (c, room) => signed(c, { video: { room } }) },
  { name: 'no video grant at all', header: (c) => signed(c, {}) },
  { name: 'wrong room', header: (c) => signed(c, { video: { ...ALL, room: 'some-other-room' } }) },
  { name: 'valid', header: (c, room) => signed(c, { video: { ...ALL, room } }) },
];

/** Every Twirp method livekit-server v1.13.5 registers for RoomService and AgentDispatchService. */
export const TWIRP_METHODS: readonly (readonly [string, string])[] = [
  ...['CreateRoom', 'ListRooms', 'DeleteRoom', 'ListParticipants', 'GetParticipant', 'RemoveParticipant', 'MutePublishedTrack', 'UpdateParticipant', 'UpdateSubscriptions', 'SendData', 'UpdateRoomMetadata', 'ForwardParticipant', 'MoveParticipant', 'PerformRpc'].map(
    (m) => ['livekit.RoomService', m] as const,
  ),
  ...['CreateDispatch', 'DeleteDispatch', 'ListDispatch'].map((m) => ['livekit.AgentDispatchService', m] as const),
];

export interface Answer {
  status: number;
  /** 'text: <body>' (token replaced by <token>), 'twirp: <code>: <msg>', 'json: ...', 'upgraded', 'empty'. */
  body: string;
}

function classify(status: number, contentType: string, text: string, token: string | undefined): Answer {
  const scrub = (s: string) => (token ? s.split(token).join('<token>') : s);
  if (!text) return { status, body: 'empty' };
  if (status === 200 && contentType.startsWith('application/json')) return { status, body: 'json: a response message' };
  if (contentType.startsWith('application/json')) {
    try {
      const v = JSON.parse(text) as { code?: string; msg?: string };
      if (typeof v.code === 'string') return { status, body: `twirp: ${v.code}: ${scrub(String(v.msg))}` };
    } catch {
      /* not JSON */
    }
    return { status, body: `json: ${scrub(text)}` };
  }
  return { status, body: `${contentType.split(';')[0] || 'no content type'}: ${scrub(text)}` };
}

export async function twirpAnswer(httpUrl: string, service: string, method: string, header: string | undefined, room: string): Promise<Answer> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (header) headers.Authorization = header;
  const body = JSON.stringify({ room, name: room, identity: 'nobody', dispatch_id: 'AD_none', destination_room: `${room}-dest`, metadata: 'm' });
  const res = await fetch(`${httpUrl}/twirp/${service}/${method}`, { method: 'POST', headers, body, signal: AbortSignal.timeout(20_000) });
  return classify(res.status, res.headers.get('content-type') ?? '', await res.text(), header?.slice(7));
}

/** A WebSocket upgrade request: 101 when the server accepts (the socket is dropped at once), else its status and body. */
export function upgradeAnswer(httpUrl: string, path: string, header: string | undefined): Promise<Answer> {
  const url = new URL(path, httpUrl);
  const headers: Record<string, string> = { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': randomBytes(16).toString('base64') };
  if (header) headers.Authorization = header;
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, timeout: 20_000 });
    req.once('upgrade', (_res, socket) => {
      socket.destroy();
      resolve({ status: 101, body: 'upgraded' });
    });
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(classify(res.statusCode ?? 0, String(res.headers['content-type'] ?? ''), Buffer.concat(chunks).toString('utf8'), header?.slice(7))));
    });
    req.once('timeout', () => req.destroy(new Error('upgrade request timed out')));
    req.once('error', reject);
    req.end();
  });
}

export interface MatrixRow {
  endpoint: string;
  authCase: string;
  answer: Answer;
}

/** The whole matrix against one server. Rooms are fresh per run so earlier rows do not change later ones. */
export async function runAuthMatrix(target: Credentials & { httpUrl: string }, room: string, opts: { rtc?: boolean } = {}): Promise<MatrixRow[]> {
  const rows: MatrixRow[] = [];
  for (const c of AUTH_CASES) {
    const header = c.header(target, room);
    rows.push({ endpoint: '/agent', authCase: c.name, answer: await upgradeAnswer(target.httpUrl, '/agent', header) });
    if (opts.rtc) rows.push({ endpoint: '/rtc', authCase: c.name, answer: await upgradeAnswer(target.httpUrl, '/rtc?protocol=16&sdk=js&auto_subscribe=1', header) });
    // one at a time: a valid CreateRoom must come before the calls that find its room, on both servers alike
    for (const [s, m] of TWIRP_METHODS) rows.push({ endpoint: `${s.replace('livekit.', '')}/${m}`, authCase: c.name, answer: await twirpAnswer(target.httpUrl, s, m, header, room) });
  }
  return rows;
}
