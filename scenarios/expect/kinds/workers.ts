import type { JobTypeName, TraceEvent } from '../../../mock-server/trace/events.ts';
import { JOB_TYPES, str } from '../../schema/field-specs.ts';
import type { Count } from '../count.ts';
import { countEventFamily, inWorker, type EventFamily } from '../event-count.ts';
import { defineExpectKind } from '../expect-kind.ts';

export interface WorkersExpectation {
  workers: Count;
  event?: 'registered' | 'closed' | 'status';
  worker?: string;
  agentName?: string;
  jobType?: JobTypeName;
  status?: 'WS_AVAILABLE' | 'WS_FULL';
  reason?: string;
}

const FAMILY: EventFamily = { prefix: 'worker', events: ['registered', 'closed', 'status'] };

export const workersExpectation = defineExpectKind<'workers', WorkersExpectation>({
  name: 'workers',
  fields: {
    workers: { t: 'count', required: true },
    event: { t: 'enum', values: FAMILY.events },
    worker: str,
    agentName: str,
    jobType: { t: 'enum', values: JOB_TYPES },
    status: { t: 'enum', values: ['WS_AVAILABLE', 'WS_FULL'] },
    reason: str,
  },
  evaluate: (e, rule, input) =>
    countEventFamily(rule, input, FAMILY, e.event, { worker: e.worker, agentName: e.agentName, jobType: e.jobType, status: e.status, reason: e.reason }, (x) => {
      if (!inWorker(input, e.worker, (x as TraceEvent & { workerId?: string }).workerId)) return false;
      if (e.agentName !== undefined && (x.kind !== 'worker.registered' || x.agentName !== e.agentName)) return false;
      if (e.jobType !== undefined && (x.kind !== 'worker.registered' || x.jobType !== e.jobType)) return false;
      if (e.status !== undefined && (x.kind !== 'worker.status' || x.status !== e.status)) return false;
      return e.reason === undefined || (x.kind === 'worker.closed' && x.reason.includes(e.reason));
    }),
});
