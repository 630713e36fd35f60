import type { JobOutcome, JobRef, JobStatusName, TraceEvent } from '../../mock-server/trace/events.ts';

/** One job's whole story, folded from its trace events (`job.created` gives the JobRef). */
export interface JobFact extends JobRef {
  offeredTo: string[];
  rejectedBy: string[];
  assignedTo?: string;
  agentIdentity?: string;
  outcome?: JobOutcome;
  reason?: string;
  status?: JobStatusName;
  /** The worker that holds or ended the job. */
  workerId?: string;
  seqs: number[];
}

export function jobFacts(events: readonly TraceEvent[]): JobFact[] {
  const jobs = new Map<string, JobFact>();
  for (const e of events) {
    if (e.kind === 'job.created') {
      jobs.set(e.jobId, {
        jobId: e.jobId,
        room: e.room,
        jobType: e.jobType,
        agentName: e.agentName,
        namespace: e.namespace,
        dispatchId: e.dispatchId,
        participantIdentity: e.participantIdentity,
        offeredTo: [],
        rejectedBy: [],
        seqs: [e.seq],
      });
      continue;
    }
    if (e.kind !== 'job.offered' && e.kind !== 'job.rejected' && e.kind !== 'job.assigned' && e.kind !== 'job.ended' && e.kind !== 'job.status') continue;
    const j = jobs.get(e.jobId);
    if (!j) continue;
    j.seqs.push(e.seq);
    if (e.kind === 'job.offered') j.offeredTo.push(e.workerId);
    else if (e.kind === 'job.rejected') j.rejectedBy.push(e.workerId);
    else if (e.kind === 'job.assigned') [j.assignedTo, j.workerId, j.agentIdentity] = [e.workerId, e.workerId, e.participantIdentity];
    else if (e.kind === 'job.ended') {
      j.outcome = e.outcome;
      j.reason = e.reason;
      j.status = e.status;
      if (e.workerId) j.workerId = e.workerId;
    }
  }
  return [...jobs.values()];
}
