import { ParticipantInfo_Kind, TrackSource, TrackType, WorkerStatus } from '@livekit/protocol';
import { jobTypeName } from '../agent/job-types.ts';
import type { WorkerSession } from '../agent/worker-session.ts';
import type { MockCore } from '../server/mock-core.ts';
import type { TraceStats } from '../trace/trace-retention.ts';

/** What the HTTP layer knows about a worker socket that the session does not. */
export interface WorkerClientInfo {
  userAgent: string;
  connectedAt: number;
}

/** The inspector's view of what the server holds now (jobs come from the trace, in the page). */
export interface InspectorState {
  now: number;
  trace: TraceStats;
  workers: {
    workerId: string;
    agentName: string;
    jobType: string;
    namespace: string;
    status: string;
    load: number;
    runningJobs: string[];
    version: string;
    runtime: string;
    connectedAt?: number;
  }[];
  rooms: {
    name: string;
    sid: string;
    createdAt: number;
    participants: { identity: string; sid: string; kind: string; virtual: boolean; joinedAt: number; tracks: { sid: string; type: string; source: string; name: string }[] }[];
    dispatches: { id: string; agentName: string; jobs: string[] }[];
    /** Set while no one who counts is in the room: which timeout runs and when the room closes. */
    timer?: { kind: 'empty' | 'departure'; timeoutSec: number; closesAt: number };
  }[];
}

/** A guess from the socket's User-Agent: Python workers (aiohttp) send one; agents-js (ws) sends none. */
export function runtimeOf(userAgent: string | undefined): string {
  if (userAgent === undefined) return 'in process';
  if (!userAgent) return 'node? (no User-Agent)';
  const aiohttp = /aiohttp\/([\d.]+)/.exec(userAgent);
  const python = /Python\/([\d.]+)/.exec(userAgent);
  if (aiohttp || python) return `python${python ? ` ${python[1]}` : ''}`;
  return userAgent.slice(0, 40);
}

export function inspectorState(core: MockCore, clients: WeakMap<WorkerSession, WorkerClientInfo>): InspectorState {
  const now = core.ctx.clock.now();
  const workers = core.sessions()
    .flatMap((session) => (session.registered ? [{ session, w: session.registered }] : []))
    .map(({ session, w }) => {
      const c = clients.get(session);
      return {
        workerId: w.workerId,
        agentName: w.key.agentName,
        jobType: jobTypeName(w.key.jobType),
        namespace: w.key.namespace,
        status: WorkerStatus[w.status] ?? String(w.status),
        load: w.load,
        runningJobs: w.runningJobIds,
        version: w.version,
        runtime: runtimeOf(c?.userAgent),
        connectedAt: c?.connectedAt,
      };
    });
  const rooms = core.rooms.list().map((room) => {
    const departed = room.firstJoinedAtMs > 0 && room.lastLeftAtMs > 0;
    // the room check runs on whole seconds (room-manager): it closes at the first check past the timeout
    const sinceSec = Math.floor((departed ? room.lastLeftAtMs : room.creationTimeMs) / 1000);
    const timeoutSec = departed ? room.settings.departureTimeoutSec : room.settings.emptyTimeoutSec;
    return {
      name: room.name,
      sid: room.sid,
      createdAt: room.creationTimeMs,
      participants: [...room.participants.values()].map((p) => ({
        identity: p.identity,
        sid: p.sid,
        kind: (ParticipantInfo_Kind[p.kind] ?? String(p.kind)).toLowerCase(),
        virtual: !!p.spec.virtual,
        joinedAt: p.joinedAtMs,
        tracks: p.tracks.map((t) => ({ sid: t.sid, type: TrackType[t.type] ?? String(t.type), source: TrackSource[t.source] ?? String(t.source), name: t.name })),
      })),
      dispatches: [...room.dispatches.values()].map((d) => ({ id: d.dispatch.id, agentName: d.dispatch.agentName, jobs: (d.dispatch.state?.jobs ?? []).map((j) => j.id) })),
      ...(room.humanCount === 0 ? { timer: { kind: departed ? ('departure' as const) : ('empty' as const), timeoutSec, closesAt: (sinceSec + timeoutSec) * 1000 } } : {}),
    };
  });
  return { now, trace: core.trace.stats(), workers, rooms };
}
