import { LeaveRequest, Ping, SignalRequest, SignalResponse, WrappedJoinRequest_Compression, protoInt64 } from '@livekit/protocol';
import WebSocket from 'ws';
import type { Endpoint } from './agent-probe.ts';
import type { RtcJoinInput } from './rtc-join-inputs.ts';
import { padded, wrap, validJoinRequest } from './rtc-join-inputs.ts';
import type { RtcSignalInput } from './rtc-signal-inputs.ts';
import { Rng } from './rng.ts';
import { token } from './tokens.ts';

/** What an /rtc entry point answered before any WebSocket: the HTTP status (101 = upgraded) and the body text. */
export interface RtcJoinReaction {
  status: number;
  body: string;
}

/** What the server did with frames on a joined participant's socket (as AgentReaction for /agent). */
export type RtcSignalReaction = { kind: 'open' } | { kind: 'closed'; code: number } | { kind: 'refused'; status: number } | { kind: 'silent' } | { kind: 'no_join'; detail: string };

export const joinReactionClass = (r: RtcJoinReaction | Error): string => (r instanceof Error ? `error ${r.message}` : r.status === 101 ? '101' : `${r.status} ${JSON.stringify(r.body.trim().slice(0, 120))}`);
export const signalReactionClass = (r: RtcSignalReaction): string =>
  r.kind === 'closed' ? `closed(${r.code})` : r.kind === 'refused' ? `refused(${r.status})` : r.kind === 'no_join' ? `no_join(${r.detail})` : r.kind;

const PING_MARK = 737373;

/** A leave then a normal close, so neither server keeps the fuzz participant waiting for a resume. */
function leaveAndClose(ws: WebSocket): void {
  if (ws.readyState === WebSocket.OPEN) {
    ws.send(new SignalRequest({ message: { case: 'leave', value: new LeaveRequest({}) } }).toBinary());
    ws.close(1000);
  }
  const t = setTimeout(() => ws.terminate(), 2_000);
  t.unref();
}

/** Sends one join/validate input with a token for `identity`; never throws for an HTTP answer. */
export async function probeRtcJoin(ep: Endpoint, input: RtcJoinInput, identity: string, timeoutMs = 8_000): Promise<RtcJoinReaction> {
  const tok = token(ep, input.grants.video, { sub: identity, ...(input.grants.metadata ? { metadata: input.grants.metadata } : {}), ...(input.grants.attributes ? { attributes: input.grants.attributes } : {}) });
  const url = `${input.path}${input.query ? `?${input.query}` : ''}`;
  if (input.path.endsWith('/validate')) {
    const res = await fetch(`${ep.httpUrl}${url}`, { headers: { Authorization: `Bearer ${tok}` }, signal: AbortSignal.timeout(timeoutMs) });
    return { status: res.status, body: await res.text() };
  }
  const ws = new WebSocket(`${ep.wsUrl}${url}`, { headers: { Authorization: `Bearer ${tok}` } });
  ws.on('error', () => undefined);
  return await new Promise<RtcJoinReaction>((resolve) => {
    const timer = setTimeout(() => {
      ws.terminate();
      resolve({ status: 0, body: 'no answer (hang)' });
    }, timeoutMs);
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body });
      });
      res.on('error', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    ws.once('open', () => {
      clearTimeout(timer);
      leaveAndClose(ws);
      resolve({ status: 101, body: '' });
    });
    ws.once('close', () => {
      clearTimeout(timer);
      resolve({ status: 0, body: 'closed before an answer' });
    });
  });
}

/** The URL and token of a plain v1 join (no offer: neither server starts ICE) into `room` as `identity`. */
export function joinUrl(ep: Endpoint, room: string, identity: string, seed: number): { url: string; token: string } {
  const jr = validJoinRequest(new Rng(seed));
  jr.metadata = '';
  jr.participantAttributes = {};
  jr.reconnect = false;
  const q = padded(Buffer.from(wrap(jr.toBinary(), WrappedJoinRequest_Compression.GZIP)).toString('base64url'));
  return { url: `${ep.wsUrl}/rtc/v1?join_request=${q}`, token: token(ep, { roomJoin: true, room, canUpdateOwnMetadata: true }, { sub: identity }) };
}

function decode(data: WebSocket.RawData, isBinary: boolean): SignalResponse | undefined {
  try {
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer);
    return isBinary ? SignalResponse.fromBinary(buf) : SignalResponse.fromJsonString(buf.toString('utf8'), { ignoreUnknownFields: true });
  } catch {
    return undefined;
  }
}

/**
 * Joins `room` as `identity`, waits for the JoinResponse, sends the input's frames and then a PingReq: the
 * PongResp means the server kept the socket, a close means it ended it. For an input that should close the
 * socket (a leave) the close is awaited even after the pong, since both servers answer pings from the read
 * loop before the leave has taken effect.
 */
export async function probeRtcSignal(ep: Endpoint, input: RtcSignalInput, room: string, identity: string, seed: number, opts: { timeoutMs?: number } = {}): Promise<RtcSignalReaction> {
  const timeoutMs = opts.timeoutMs ?? 8_000;
  const { url, token: tok } = joinUrl(ep, room, identity, seed);
  const ws = new WebSocket(url, { headers: { Authorization: `Bearer ${tok}` } });
  ws.on('error', () => undefined);
  const awaitClose = input.expect === 'closed' || input.cases.includes('leave');
  try {
    return await new Promise<RtcSignalReaction>((resolve) => {
      let phase: 'joining' | 'probing' = 'joining';
      let ponged = false;
      const timer = setTimeout(() => resolve(phase === 'joining' ? { kind: 'no_join', detail: 'no JoinResponse' } : ponged ? { kind: 'open' } : { kind: 'silent' }), timeoutMs);
      const done = (r: RtcSignalReaction) => {
        clearTimeout(timer);
        resolve(r);
      };
      ws.once('unexpected-response', (_req, res) => {
        res.resume();
        done({ kind: 'refused', status: res.statusCode ?? 0 });
      });
      ws.once('close', (code) => done(phase === 'joining' ? { kind: 'no_join', detail: `closed ${code}` } : { kind: 'closed', code }));
      ws.on('message', (data, isBinary) => {
        const m = decode(data, isBinary);
        if (phase === 'joining' && m?.message.case === 'join') {
          phase = 'probing';
          for (const f of input.frames) ws.send(f.data, { binary: f.binary });
          ws.send(new SignalRequest({ message: { case: 'pingReq', value: new Ping({ timestamp: protoInt64.parse(PING_MARK) }) } }).toBinary(), { binary: true });
          return;
        }
        if (phase === 'probing' && m?.message.case === 'pongResp' && Number(m.message.value.lastPingTimestamp) === PING_MARK) {
          ponged = true;
          if (!awaitClose) done({ kind: 'open' });
        }
      });
    });
  } finally {
    leaveAndClose(ws);
  }
}
