import type { TraceEventOf } from '../../../mock-server/trace/events.ts';
import type { TargetTrace } from '../../../targets/livekit-target.ts';

export type Mark = TraceEventOf<'mark'>;

/** Marks with this name (optionally for one job), in trace order. */
export function marks(trace: TargetTrace, name: string, jobId?: string): Mark[] {
  return trace.events().filter((e): e is Mark => e.kind === 'mark' && e.name === name && (jobId === undefined || e.jobId === jobId));
}
