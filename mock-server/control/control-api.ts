import type { IncomingMessage, ServerResponse } from 'node:http';
import { TrackInfo, TrackSource, TrackType } from '@livekit/protocol';
import type { AuthContext } from '../auth/claims.ts';
import type { IdGenerator } from '../core/ids.ts';
import type { FaultGate } from '../faults/fault-gate.ts';
import { applyFault } from '../faults/apply-fault.ts';
import { FaultError, isParticipantTarget, parseFault, type FaultTarget } from '../faults/fault.ts';
import type { RoomManager } from '../rooms/room-manager.ts';
import { serveInspectorAsset } from '../inspector/inspector-assets.ts';
import type { InspectorState } from '../inspector/inspector-state.ts';
import { liveDiagram } from '../inspector/live-diagram.ts';
import type { OneTimeLinks } from '../inspector/one-time-links.ts';
import { streamSse } from '../inspector/sse.ts';
import { serveSipControl } from '../sip/sip-control.ts';
import type { Telephony } from '../sip/telephony.ts';
import type { Trace } from '../trace/trace.ts';
import { writeText } from '../transport/http-helpers.ts';

/** The lab's own endpoints, under a prefix no LiveKit API uses. They need a valid token like every endpoint. */
export const CONTROL_PREFIX = '/_lab/';

export interface ControlDeps {
  trace: Trace;
  rooms: RoomManager;
  ids: IdGenerator;
  faults: FaultGate;
  /** Forgets rooms, workers and jobs as a restart of livekit-server would. */
  restart(): void;
  /** SIP trunks, rules, calls and phones (the /_lab/sip/ routes). */
  telephony?: Telephony;
  /** Closes the matching worker sockets now; returns how many. */
  closeWorkers(target: FaultTarget | undefined, abrupt: boolean): number;
  /** The live inspector at /_lab/ (absent: no inspector routes). */
  inspector?: InspectorDeps;
}

export interface InspectorDeps {
  state(): InspectorState;
  links: OneTimeLinks;
  /** A token for the page, signed with one of the server's keys, after a one-time code was redeemed. */
  sessionToken(): { token: string; expiresAt: number };
}

const json = (res: ServerResponse, status: number, value: unknown) => {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
};

export async function serveControl(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: URLSearchParams,
  body: Buffer,
  auth: AuthContext | undefined,
  deps: ControlDeps,
): Promise<void> {
  const route = `${req.method} ${path.slice(CONTROL_PREFIX.length - 1)}`;
  const inspector = deps.inspector;
  // the inspector's page and its one-time sign-in need no token; everything with data does
  if (inspector && req.method === 'GET' && serveInspectorAsset(res, route.slice(4))) return;
  if (inspector && route === 'POST /session') {
    let code: unknown;
    try {
      code = JSON.parse(body.toString('utf8') || '{}').once;
    } catch {
      code = undefined;
    }
    if (!inspector.links.redeem(code)) return json(res, 401, { error: 'this sign-in link was already used or is unknown; sign in with an API key and secret, or restart serve for a new link' });
    return json(res, 200, inspector.sessionToken());
  }
  if (!auth) return writeText(res, 401, 'the control API needs a token signed with one of the server\'s API keys');
  let input: Record<string, any> = {};
  if (body.length) {
    try {
      input = JSON.parse(body.toString('utf8'));
    } catch {
      return json(res, 400, { error: 'body is not JSON' });
    }
  }
  const { trace, rooms } = deps;

  if (route === 'GET /events') return streamEvents(req, res, query, trace);
  if (inspector && route === 'GET /state') return json(res, 200, inspector.state());
  if (inspector && route === 'GET /stream') return streamSse(req, res, query, trace);
  if (inspector && route === 'GET /diagram.svg') {
    const svg = liveDiagram(trace, { room: query.get('room') || undefined, worker: query.get('worker') || undefined, agent: query.has('agent') ? query.get('agent')! : undefined });
    res.writeHead(200, { 'Content-Type': 'image/svg+xml; charset=utf-8', 'Cache-Control': 'no-store' });
    return void res.end(svg);
  }
  if (route === 'POST /reset') {
    trace.reset();
    return json(res, 200, { lastSeq: trace.lastSeq });
  }
  if (route === 'POST /restart') {
    deps.restart();
    return json(res, 200, {});
  }
  if (route === 'POST /marks') {
    if (typeof input.name !== 'string') return json(res, 400, { error: 'mark needs a string "name"' });
    trace.record({ kind: 'mark', name: input.name, source: String(input.source ?? 'unknown'), jobId: input.jobId, workerId: input.workerId, data: input.data ?? {} });
    res.writeHead(204).end();
    return;
  }
  if (deps.telephony && serveSipControl(req.method ?? '', path.slice(CONTROL_PREFIX.length - 1), input, res, deps.telephony)) return;
  if (route === 'GET /faults') return json(res, 200, deps.faults.list());
  if (route === 'POST /faults') {
    let fault;
    try {
      fault = parseFault(input);
    } catch (e) {
      if (e instanceof FaultError) return json(res, 400, { error: e.message, code: e.code });
      throw e;
    }
    const applied = applyFault(deps, fault);
    if (fault.type === 'close' && applied.affected === 0) return json(res, 404, { error: `close matched no connected ${isParticipantTarget(fault.target) ? 'participant' : 'worker'}`, fault });
    return json(res, applied.kind === 'standing' ? 201 : 200, applied);
  }
  if (route === 'DELETE /faults') {
    deps.faults.reset();
    return json(res, 200, {});
  }
  if (req.method === 'DELETE' && route.startsWith('DELETE /faults/')) {
    const name = decodeURIComponent(route.slice('DELETE /faults/'.length));
    return deps.faults.remove(name) ? json(res, 200, {}) : json(res, 404, { error: `no fault named "${name}"` });
  }

  // Virtual participants: /rooms/{room}/participants[/{identity}[/publish]]
  const m = /^\/rooms\/([^/]+)\/participants(?:\/([^/]+)(\/publish)?)?$/.exec(path.slice(CONTROL_PREFIX.length - 1));
  if (m) {
    const roomName = decodeURIComponent(m[1] ?? '');
    const identity = m[2] ? decodeURIComponent(m[2]) : undefined;
    if (req.method === 'POST' && !identity) {
      if (typeof input.identity !== 'string' || !input.identity) return json(res, 400, { error: 'participant needs an "identity"' });
      const { room } = rooms.getOrCreate(
        { name: roomName, emptyTimeout: 0, departureTimeout: 0, maxParticipants: 0, metadata: '', agents: input.roomAgents ?? [] },
        input.roomAgents?.length ? 'token' : 'default',
      );
      const p = rooms.join(room, { identity: input.identity, name: input.name, metadata: input.metadata, attributes: input.attributes, kind: input.kind, virtual: true });
      rooms.markActive(room, p);
      return json(res, 201, p.toProto().toJson());
    }
    const room = rooms.get(roomName);
    const p = identity ? room?.participants.get(identity) : undefined;
    if (!room || !p) return json(res, 404, { error: `no participant "${identity}" in room "${roomName}"` });
    if (req.method === 'POST' && m[3]) {
      const track = new TrackInfo({ sid: deps.ids.next('TR_'), type: input.type === 'video' ? TrackType.VIDEO : TrackType.AUDIO, source: input.type === 'video' ? TrackSource.CAMERA : TrackSource.MICROPHONE, name: input.name ?? '' });
      const first = rooms.publishTrack(room, p, track);
      return json(res, 201, { trackSid: track.sid, first });
    }
    if (req.method === 'PATCH') {
      rooms.updateParticipant(room, p, { name: input.name, metadata: input.metadata, attributes: input.attributes });
      return json(res, 200, p.toProto().toJson());
    }
    if (req.method === 'DELETE') {
      rooms.participantLeft(room, p.identity);
      return json(res, 200, {});
    }
  }
  return json(res, 404, { error: `no control route ${route}` });
}

/** JSON lines; `since=<seq>` skips older events, `follow=1` keeps the response open for new ones. */
function streamEvents(req: IncomingMessage, res: ServerResponse, query: URLSearchParams, trace: Trace): void {
  const since = Number(query.get('since') ?? 0);
  const download = query.get('download') === '1' ? { 'Content-Disposition': `attachment; filename="dispatch-lab-trace-${trace.lastSeq}.jsonl"` } : {};
  res.writeHead(200, { 'Content-Type': 'application/x-ndjson', ...download });
  // send the headers now: with `follow` and nothing recorded yet, the client would otherwise wait for the first event
  res.flushHeaders();
  for (const e of trace.since(since)) res.write(`${JSON.stringify(e)}\n`);
  if (query.get('follow') !== '1') return void res.end();
  const off = trace.onEvent((e) => res.write(`${JSON.stringify(e)}\n`));
  req.on('close', off);
}
