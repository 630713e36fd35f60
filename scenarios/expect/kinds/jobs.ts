import type { JobTypeName } from '../../../mock-server/trace/events.ts';
import type { JobState } from '../../model.ts';
import { JOB_STATES, JOB_TYPES, str } from '../../schema/field-specs.ts';
import { countText, holds, type Count } from '../count.ts';
import { describe, MAX_LINES } from '../event-count.ts';
import { defineExpectKind } from '../expect-kind.ts';
import { jobFacts, type JobFact } from '../job-facts.ts';
import { describeJob } from '../trace-lines.ts';

export interface JobFilter {
  room?: string;
  type?: JobTypeName;
  agentName?: string;
  namespace?: string;
  /** The worker (alias) that holds or ended the job. */
  worker?: string;
  offeredTo?: string;
  rejectedBy?: string;
  participant?: string;
  dispatch?: string;
  outcome?: JobState;
  status?: 'JS_SUCCESS' | 'JS_FAILED';
  /** Substring of the recorded end reason. */
  reason?: string;
}

export type JobsExpectation = { jobs: Count } & JobFilter;

/** Jobs as the trace tells their story (offered, assigned, how they ended), not single events. */
export const jobsExpectation = defineExpectKind<'jobs', JobsExpectation>({
  name: 'jobs',
  fields: {
    jobs: { t: 'count', required: true },
    room: str,
    type: { t: 'enum', values: JOB_TYPES },
    agentName: str,
    namespace: str,
    worker: str,
    offeredTo: str,
    rejectedBy: str,
    participant: str,
    dispatch: str,
    outcome: { t: 'enum', values: JOB_STATES },
    status: { t: 'enum', values: ['JS_SUCCESS', 'JS_FAILED'] },
    reason: str,
  },
  // the real server does not say why a job vanished
  needsServerInsight: (e) => e.outcome === 'dropped' || e.reason !== undefined,
  evaluate(e, rule, { events, names, line }) {
    const facts = jobFacts(events);
    const state: JobState | undefined = e.outcome ?? (e.reason === undefined ? 'offered' : undefined);
    const ids = (alias: string | undefined) => (alias === undefined ? undefined : names.workerIds(alias));
    const [worker, offeredTo, rejectedBy] = [ids(e.worker), ids(e.offeredTo), ids(e.rejectedBy)];
    const dispatch = e.dispatch === undefined ? undefined : names.dispatchId(e.dispatch);
    // Jobs that fit everything but the state/worker: the context a failure message needs.
    const related = facts.filter(
      (j) =>
        (e.room === undefined || j.room === e.room) &&
        (e.type === undefined || j.jobType === e.type) &&
        (e.agentName === undefined || j.agentName === e.agentName) &&
        (e.namespace === undefined || j.namespace === e.namespace) &&
        (e.participant === undefined || j.participantIdentity === e.participant) &&
        (dispatch === undefined || j.dispatchId === dispatch),
    );
    const matches = related.filter(
      (j) =>
        (state === undefined || inState(j, state)) &&
        (worker === undefined || (j.workerId !== undefined && worker.includes(j.workerId))) &&
        (offeredTo === undefined || j.offeredTo.some((w) => offeredTo.includes(w))) &&
        (rejectedBy === undefined || j.rejectedBy.some((w) => rejectedBy.includes(w))) &&
        (e.status === undefined || j.status === e.status) &&
        (e.reason === undefined || (j.reason ?? '').includes(e.reason)),
    );
    const what = describe(`job(s)${state ? ` ${state}` : ''}`, {
      type: e.type,
      room: e.room,
      agentName: e.agentName,
      namespace: e.namespace,
      participant: e.participant,
      dispatch: e.dispatch,
      worker: e.worker,
      offeredTo: e.offeredTo,
      rejectedBy: e.rejectedBy,
      status: e.status,
      reason: e.reason && `~"${e.reason}"`,
    });
    const shown = (related.length ? related : facts).slice(-MAX_LINES);
    const registered = events.filter((x) => x.kind === 'worker.registered' || x.kind === 'worker.closed' || x.kind === 'worker.status').map(line);
    return {
      count: matches.length,
      ok: holds(rule, matches.length),
      expected: `${countText(rule)} ${what}`,
      seen: `${matches.length} matching of ${facts.length} job(s) in the trace${matches.length ? `: ${matches.slice(0, 5).map((j) => j.jobId).join(', ')}` : ''}`,
      lines: [...registered.slice(-10), ...(shown.length ? shown.map((j) => `job ${describeJob(j, names.aliasOf)}`) : ['(no jobs in the trace)'])],
    };
  },
});

function inState(j: JobFact, s: JobState): boolean {
  if (s === 'offered') return j.offeredTo.length > 0;
  if (s === 'assigned') return j.assignedTo !== undefined;
  if (s === 'open') return j.assignedTo !== undefined && j.outcome === undefined;
  return j.outcome === s;
}
