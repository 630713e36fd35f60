import { ParticipantInfo_Kind } from '@livekit/protocol';
import { describeSipEvent } from '../../mock-server/sip/sip-trace-lines.ts';
import type { TraceEvent } from '../../mock-server/trace/events.ts';
import type { JobFact } from './job-facts.ts';

export type AliasOf = (workerId: string | undefined) => string;

/** `kind` is recorded as the enum number; scenarios and reports speak names ("agent", "standard"). */
export function participantKindName(kind: string): string {
  const n = Number(kind);
  return Number.isInteger(n) ? (ParticipantInfo_Kind[n] ?? kind).toLowerCase() : kind.toLowerCase();
}

/** One human-readable line per trace event: `+1.234s  job.assigned AJ_… → w1 as agent-w1-…`. */
export function formatEvent(e: TraceEvent, t0: number, alias: AliasOf): string {
  const t = `+${((e.at - t0) / 1000).toFixed(3)}s`.padStart(9);
  return `${t}  ${e.kind.padEnd(19)} ${describeEvent(e, alias)}`;
}

export function describeEvent(e: TraceEvent, alias: AliasOf): string {
  switch (e.kind) {
    case 'worker.connected':
      return e.socketId;
    case 'worker.registered':
      return `${alias(e.workerId)} agent "${e.agentName}" ${e.jobType}${e.namespace ? ` ns "${e.namespace}"` : ''}`;
    case 'worker.status':
      return `${alias(e.workerId)} ${e.status} load ${e.load}`;
    case 'worker.closed':
    case 'worker.violation':
    case 'worker.ignored':
      return `${alias(e.workerId) || e.socketId}: ${e.reason}`;
    case 'worker.message':
      return `${alias(e.workerId)} ${e.direction} ${e.case}`;
    case 'room.created':
      return `${e.room} (via ${e.via})`;
    case 'room.closed':
      return `${e.room}: ${e.reason}`;
    case 'room.updated':
      return e.room;
    case 'dispatch.created':
      return `${e.dispatchId} agent "${e.agentName}" in ${e.room} (${e.source})`;
    case 'dispatch.deleted':
      return `${e.dispatchId} agent "${e.agentName}" in ${e.room}`;
    case 'participant.joined':
      return `${e.identity} in ${e.room} (${participantKindName(e.participantKind)})`;
    case 'participant.published':
      return `${e.identity} in ${e.room} track ${e.trackSid}${e.first ? ' (first)' : ''}`;
    case 'participant.updated':
      return `${e.identity} in ${e.room}`;
    case 'participant.left':
      return `${e.identity} from ${e.room}: ${e.reason}`;
    case 'job.created':
      return `${e.jobId} ${e.jobType} room ${e.room} agent "${e.agentName}"${e.participantIdentity ? ` for ${e.participantIdentity}` : ''}${e.namespace ? ` ns "${e.namespace}"` : ''}`;
    case 'job.offered':
      return `${e.jobId} → ${alias(e.workerId)}`;
    case 'job.rejected':
      return `${e.jobId} by ${alias(e.workerId)}`;
    case 'job.assigned':
      return `${e.jobId} → ${alias(e.workerId)} as ${e.participantIdentity || '(no identity)'}`;
    case 'job.status':
      return `${e.jobId} ${e.status}${e.error ? ` ${e.error}` : ''}`;
    case 'job.ended':
      return `${e.jobId} ${e.outcome.toUpperCase()}${e.status ? ` ${e.status}` : ''}: ${e.reason}`;
    case 'api.call':
      return `${e.method}${e.room ? ` ${e.room}` : ''} → ${e.status}${e.code ? ` ${e.code}` : ''}`;
    case 'mark':
      return `${e.name} from ${alias(e.workerId) || e.source}${e.jobId ? ` job ${e.jobId}` : ''}`;
    case 'fault.applied':
      return `${e.fault} on ${e.target}`;
    case 'log':
      return `[${e.level}] ${e.message}`;
    case 'trace.gap':
      return `${e.events} events (#${e.fromSeq}-#${e.toSeq}) evicted: ${e.reason}`;
    case 'media.received':
      return `${e.identity} got ${e.frames} ${e.track} frame(s)${e.withEnergy ? ` with energy${e.hz === undefined ? '' : ` (~${e.hz} Hz)`}` : ''} from ${e.from} in ${e.room}`;
    default:
      return describeSipEvent(e);
  }
}

/** A job's story on one line, for failure messages and `explain`. */
export function describeJob(j: JobFact, alias: AliasOf): string {
  const who = j.participantIdentity ? ` for ${j.participantIdentity}` : '';
  const offered = j.offeredTo.length ? ` offered to ${j.offeredTo.map(alias).join(', ')}` : ' never offered';
  const rejected = j.rejectedBy.length ? `, rejected by ${j.rejectedBy.map(alias).join(', ')}` : '';
  const assigned = j.assignedTo ? `, assigned to ${alias(j.assignedTo)}` : '';
  const end = j.outcome ? ` → ${j.outcome.toUpperCase()}${j.status ? ` ${j.status}` : ''}: ${j.reason}` : j.assignedTo ? ' → running' : ' → pending';
  return `${j.jobId} ${j.jobType} room ${j.room} agent "${j.agentName}"${who}:${offered}${rejected}${assigned}${end}`;
}
