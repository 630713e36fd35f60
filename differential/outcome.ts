import type { JobStatusName, JobTypeName } from '../mock-server/trace/events.ts';

/**
 * Outcome-level facts of one run, with ids and times removed, so a mock run and a real-server run of
 * the same scenario can be compared field by field.
 */
export interface NormalizedOutcome {
  workers: WorkerFact[];
  jobs: JobFact[];
  /** One line per participant, `room=… identity=… kind=…: joined → published (first track) → left`, sorted; empty if none recorded. */
  participants: string[];
  /** `Service.Method → status [code]` as the harness recorded them; empty if none recorded. */
  apiCalls: string[];
}

/** A worker, named by what it registered as and its order among workers of the same kind. */
export interface WorkerFact {
  /** `"name"/JT_ROOM#1` (plus namespace/deployment when set): stable across runs, unlike worker ids. */
  label: string;
  agentName: string;
  jobType: JobTypeName;
  namespace: string;
  deployment: string;
  closed: boolean;
}

/**
 * How a job ended, as far as the wire shows. `running` means assigned and never ended in the trace;
 * `rejected` and `timed_out` are derived on the real side (every offer refused / an offer never answered).
 */
export type NormalizedJobOutcome = 'running' | 'declined' | 'rejected' | 'timed_out' | 'completed' | 'terminated' | 'orphaned';

export interface JobFact {
  /** room, type, agent, namespace, target participant and occurrence: how jobs are matched across runs. */
  key: string;
  room: string;
  jobType: JobTypeName;
  agentName: string;
  namespace: string;
  participantIdentity?: string;
  offeredTo: string[];
  rejectedBy: string[];
  assignedTo?: string;
  /** `job.state.status` inside the JobAssignment. */
  assignedState?: JobStatusName;
  /** Statuses the worker reported with UpdateJobStatus, in order. */
  reported: JobStatusName[];
  outcome: NormalizedJobOutcome;
  /** For declined and completed jobs (a termination's status is not on the wire). */
  endStatus?: JobStatusName;
  terminations: number;
}

/** One field that differs between the mock run and the real run. */
export interface Difference {
  /** What differs, e.g. `job room="r" JT_ROOM agent="" #1 › outcome` or `workers`. */
  path: string;
  mock: unknown;
  real: unknown;
  /** Set when this difference is on the list of deliberate ones: its id. */
  deliberate?: string;
}
