import type { TraceEvent } from '../mock-server/trace/events.ts';

/**
 * One readable log line per event worth a person's attention; undefined for the rest (raw messages, pings).
 * Lines start with WARN (someone could have wanted what failed) or DEBUG (shown with --verbose only).
 */
export function traceLine(e: TraceEvent): string | undefined {
  switch (e.kind) {
    case 'worker.registered':
      return `worker ${e.workerId} registered: agent "${e.agentName}" ${e.jobType}${e.namespace ? ` ns "${e.namespace}"` : ''} (${e.version || 'no version'})`;
    case 'worker.closed':
      return e.workerId ? `worker ${e.workerId} disconnected: ${e.reason}` : undefined;
    case 'worker.violation':
      return `WARN worker ${e.workerId ?? e.socketId} closed for a protocol violation: ${e.reason}`;
    case 'worker.status':
      return undefined;
    case 'room.created':
      return `room "${e.room}" created (${e.via})`;
    case 'room.closed':
      return `room "${e.room}" closed (${e.reason})`;
    case 'dispatch.created':
      return `dispatch ${e.dispatchId} in "${e.room}" for agent "${e.agentName}" (${e.source})`;
    case 'dispatch.deleted':
      return `dispatch ${e.dispatchId} deleted from "${e.room}"`;
    case 'participant.joined':
      return `participant "${e.identity}" joined "${e.room}"${e.virtual ? ' (virtual)' : ''}`;
    case 'participant.left':
      return `participant "${e.identity}" left "${e.room}" (${e.reason})`;
    case 'job.created':
      return `job ${e.jobId} ${e.jobType} for agent "${e.agentName}" in "${e.room}"${e.participantIdentity ? ` (participant "${e.participantIdentity}")` : ''}`;
    case 'job.assigned':
      return `job ${e.jobId} assigned to ${e.workerId} as "${e.participantIdentity}"`;
    case 'job.rejected':
      return `job ${e.jobId} rejected by ${e.workerId}`;
    case 'job.ended':
      // the mock's job ledger logs these with their level (warn only if a worker could have wanted the job)
      if (e.outcome === 'dropped' || e.outcome === 'rejected' || e.outcome === 'timed_out') return undefined;
      return `job ${e.jobId} ${e.outcome}${e.status ? ` ${e.status}` : ''}: ${e.reason}`;
    case 'log':
      return `${e.level === 'info' ? '' : `${e.level.toUpperCase()} `}${e.message}`;
    case 'trace.gap':
      return `DEBUG trace: ${e.events} oldest events (#${e.fromSeq}-#${e.toSeq}) evicted; ${e.reason}`;
    case 'api.call':
      return e.status === 200 ? undefined : `api ${e.service}/${e.method} → ${e.status} ${e.code ?? ''}`;
    case 'fault.applied':
      return `fault ${e.fault} applied to ${e.target}`;
    default:
      return undefined;
  }
}
