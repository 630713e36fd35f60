import { JobType, RegisterWorkerRequest, ServerMessage, WorkerMessage, WorkerPing, protoInt64 } from '@livekit/protocol';
import WebSocket from 'ws';
import type { AgentInput } from './agent-frames.ts';
import { workerToken, type Credentials } from './tokens.ts';

export interface Endpoint extends Credentials {
  wsUrl: string;
  httpUrl: string;
}

/** Just the URLs and keys of a started server (mock or real), so probes hold no reference to the server. */
export const endpointOf = (t: Endpoint): Endpoint => ({ wsUrl: t.wsUrl, httpUrl: t.httpUrl, apiKey: t.apiKey, apiSecret: t.apiSecret });

/** What the server did with an `/agent` input: kept the socket (answered a ping after it), closed it, refused it, or went quiet. */
export type AgentReaction = { kind: 'open' } | { kind: 'closed'; code: number } | { kind: 'refused'; status: number } | { kind: 'silent' };

const PING_TS = 424242;

function decode(data: WebSocket.RawData, isBinary: boolean): ServerMessage | undefined {
  try {
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer);
    return isBinary ? ServerMessage.fromBinary(buf) : ServerMessage.fromJson(JSON.parse(buf.toString('utf8')), { ignoreUnknownFields: true });
  } catch {
    return undefined;
  }
}

/**
 * Opens `/agent`, optionally registers, sends the input's frames, then a ping: a pong means the server
 * kept the connection, a close means it dropped it. Nothing within `timeoutMs` is a hang (a failure).
 */
export async function probeAgent(ep: Endpoint, input: AgentInput, opts: { timeoutMs?: number; token?: string } = {}): Promise<AgentReaction> {
  const timeoutMs = opts.timeoutMs ?? 8_000;
  const ws = new WebSocket(`${ep.wsUrl}/agent`, { headers: { Authorization: `Bearer ${opts.token ?? workerToken(ep)}` }, perMessageDeflate: false });
  ws.on('error', () => undefined);
  try {
    return await new Promise<AgentReaction>((resolve) => {
      let phase: 'connecting' | 'registering' | 'probing' = 'connecting';
      const timer = setTimeout(() => resolve({ kind: 'silent' }), timeoutMs);
      const done = (r: AgentReaction) => {
        clearTimeout(timer);
        resolve(r);
      };
      const sendProbe = () => {
        phase = 'probing';
        for (const f of input.frames) ws.send(f.data, { binary: f.binary });
        ws.send(new WorkerMessage({ message: { case: 'ping', value: new WorkerPing({ timestamp: protoInt64.parse(PING_TS) }) } }).toBinary(), { binary: true });
      };
      ws.once('unexpected-response', (_req, res) => {
        res.resume();
        done({ kind: 'refused', status: res.statusCode ?? 0 });
      });
      ws.once('close', (code) => done({ kind: 'closed', code }));
      ws.on('message', (data, isBinary) => {
        const m = decode(data, isBinary);
        if (phase === 'registering' && m?.message.case === 'register') return sendProbe();
        if (phase === 'probing' && m?.message.case === 'pong' && Number(m.message.value.lastTimestamp) === PING_TS) done({ kind: 'open' });
      });
      ws.once('open', () => {
        if (!input.register) return sendProbe();
        phase = 'registering';
        ws.send(new WorkerMessage({ message: { case: 'register', value: new RegisterWorkerRequest({ type: JobType.JT_ROOM, agentName: 'fuzz-agent', version: 'fuzz' }) } }).toBinary(), { binary: true });
      });
    });
  } finally {
    ws.terminate();
  }
}

export const reactionClass = (r: AgentReaction): string =>
  r.kind === 'closed' ? `closed(${r.code})` : r.kind === 'refused' ? `refused(${r.status})` : r.kind;
