import { sequenceSvg } from '../../scenarios/report/sequence-svg.ts';
import type { TraceEvent } from '../trace/events.ts';
import type { Trace } from '../trace/trace.ts';

export interface DiagramFilter {
  room?: string;
  worker?: string;
  agent?: string;
}

/** The live diagram looks this far back in the trace, and draws the most recent of what matches. */
const LOOKBACK_EVENTS = 100_000;
const DRAWN_EVENTS = 200;
/** Every worker reports its status every 2.5 s: drawn, those arrows would be all one sees. */
const CHATTY = new Set(['worker.message', 'worker.status', 'log', 'trace.gap', 'worker.connected']);

/** Events matching the filter (a room, a worker or an agent name, and the jobs that touch them). */
export function filterEvents(events: readonly TraceEvent[], f: DiagramFilter): TraceEvent[] {
  const jobs = new Set<string>();
  const workers = new Set<string>();
  if (f.worker) workers.add(f.worker);
  const jobMatches = (e: TraceEvent & { kind: 'job.created' }) => (!f.room || e.room === f.room) && (f.agent === undefined || e.agentName === f.agent);
  for (const e of events) {
    if (e.kind === 'job.created' && jobMatches(e) && !f.worker) jobs.add(e.jobId);
    if (f.worker && 'jobId' in e && 'workerId' in e && e.workerId === f.worker && e.jobId) jobs.add(e.jobId);
    if (!f.worker && (e.kind === 'job.offered' || e.kind === 'job.assigned') && jobs.has(e.jobId)) workers.add(e.workerId);
    if (f.agent !== undefined && e.kind === 'worker.registered' && e.agentName === f.agent) workers.add(e.workerId);
  }
  return events.filter((e) => {
    if (CHATTY.has(e.kind)) return false;
    if ('jobId' in e && e.jobId) return jobs.has(e.jobId);
    if (e.kind === 'worker.registered' || e.kind === 'worker.closed' || e.kind === 'worker.violation' || e.kind === 'worker.ignored')
      return !f.room && f.agent === undefined && !f.worker ? true : e.workerId !== undefined && workers.has(e.workerId);
    if (f.worker) return false;
    if ('room' in e && e.room !== undefined) return (!f.room || e.room === f.room) && (f.agent === undefined || !('agentName' in e) || e.agentName === f.agent);
    return !f.room && f.agent === undefined;
  });
}

/** An SVG sequence diagram (the HTML report's) of the most recent events matching the filter. */
export function liveDiagram(trace: Trace, f: DiagramFilter): string {
  const events = filterEvents(trace.since(Math.max(0, trace.lastSeq - LOOKBACK_EVENTS)), f);
  return sequenceSvg(events.slice(-DRAWN_EVENTS), {});
}
