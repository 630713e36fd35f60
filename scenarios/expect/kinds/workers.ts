import type { JobTypeName, TraceEvent } from '../../../mock-server/trace/events.ts';
import { JOB_TYPES, str } from '../../schema/field-specs.ts';
import { defineEventCountKind, inWorker, type EventCountExpectation } from '../event-count.ts';

export type WorkersExpectation = EventCountExpectation<'workers', 'registered' | 'closed' | 'status', { worker?: string; agentName?: string; jobType?: JobTypeName; status?: 'WS_AVAILABLE' | 'WS_FULL'; reason?: string }>;

export const workersExpectation = defineEventCountKind<'workers', WorkersExpectation>({
  name: 'workers',
  family: { prefix: 'worker', events: ['registered', 'closed', 'status'] },
  filters: { worker: str, agentName: str, jobType: { t: 'enum', values: JOB_TYPES }, status: { t: 'enum', values: ['WS_AVAILABLE', 'WS_FULL'] }, reason: str },
  accept(e, x, input) {
    if (!inWorker(input, e.worker, (x as TraceEvent & { workerId?: string }).workerId)) return false;
    if (e.agentName !== undefined && (x.kind !== 'worker.registered' || x.agentName !== e.agentName)) return false;
    if (e.jobType !== undefined && (x.kind !== 'worker.registered' || x.jobType !== e.jobType)) return false;
    if (e.status !== undefined && (x.kind !== 'worker.status' || x.status !== e.status)) return false;
    return e.reason === undefined || (x.kind === 'worker.closed' && x.reason.includes(e.reason));
  },
});
