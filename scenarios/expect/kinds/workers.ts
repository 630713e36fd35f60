import type { JobTypeName, TraceEvent } from '../../../mock-server/trace/events.ts';
import { JOB_TYPES, str } from '../../schema/field-specs.ts';
import type { Count } from '../count.ts';
import { countEvents, describe, inWorker } from '../event-count.ts';
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

export const workersExpectation = defineExpectKind<'workers', WorkersExpectation>({
  name: 'workers',
  fields: {
    workers: { t: 'count', required: true },
    event: { t: 'enum', values: ['registered', 'closed', 'status'] },
    worker: str,
    agentName: str,
    jobType: { t: 'enum', values: JOB_TYPES },
    status: { t: 'enum', values: ['WS_AVAILABLE', 'WS_FULL'] },
    reason: str,
  },
  evaluate(e, rule, input) {
    const kind = `worker.${e.event ?? 'registered'}`;
    const what = describe(`worker ${e.event ?? 'registered'} event(s)`, { worker: e.worker, agentName: e.agentName, jobType: e.jobType, status: e.status, reason: e.reason });
    const context = input.events.filter((x) => x.kind === 'worker.registered' || x.kind === 'worker.closed' || x.kind === 'worker.status');
    const matches = context.filter((x) => {
      if (x.kind !== kind) return false;
      const w = x as TraceEvent & { workerId?: string };
      if (!inWorker(input, e.worker, w.workerId)) return false;
      if (e.agentName !== undefined && (x.kind !== 'worker.registered' || x.agentName !== e.agentName)) return false;
      if (e.jobType !== undefined && (x.kind !== 'worker.registered' || x.jobType !== e.jobType)) return false;
      if (e.status !== undefined && (x.kind !== 'worker.status' || x.status !== e.status)) return false;
      return e.reason === undefined || (x.kind === 'worker.closed' && x.reason.includes(e.reason));
    });
    return countEvents(rule, what, matches, context, input);
  },
});
