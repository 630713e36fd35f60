import {
  AvailabilityRequest,
  Job,
  JobAssignment,
  JobState,
  JobStatus,
  JobTermination,
  JobType,
  ServerMessage,
  protoInt64,
  type AvailabilityResponse,
  type ParticipantPermission,
  type SimulateJobRequest,
  type UpdateJobStatus,
} from '@livekit/protocol';
import { buildAgentToken } from '../auth/agent-token.ts';
import type { TimerHandle } from '../core/clock.ts';
import * as why from '../dispatch/end-reasons.ts';
import type { AgentCoreContext } from './agent-context.ts';
import { jobStatusName, jobTypeName } from './job-types.ts';
import type { WorkerKey } from './worker-key.ts';

export type AssignOutcome =
  | { kind: 'accepted'; job: Job }
  | { kind: 'declined'; job: Job }
  | { kind: 'unavailable' }
  | { kind: 'closed' }
  | { kind: 'timeout'; waitedMs: number }
  | { kind: 'duplicate' };

/** Why the server ends a running job (rpc.JobTerminateReason). */
export type TerminationReason = 'termination_requested' | 'agent_left_room';

/** The attribute livekit-server stamps on every agent token (worker.go). */
const AGENT_NAME_ATTRIBUTE = 'lk.agent_name';

/** What the job side reads of the worker it belongs to (in livekit both are one struct, worker.go Worker). */
export interface JobOwner {
  readonly workerId: string;
  readonly socketId: string;
  readonly isOpen: boolean;
  readonly key: WorkerKey;
  readonly permissions: ParticipantPermission;
  /** The API key and secret the worker connected with: they sign its jobs' tokens. */
  readonly credentials: { apiKey: string; apiSecret: string };
  send(message: ServerMessage): void;
}

interface PendingOffer {
  resolve(outcome: AssignOutcome): void;
  job: Job;
}

/** A worker's side of jobs (worker.go AssignJob, TerminateJob, UpdateJobStatus): offers, running jobs, ends. */
export class JobAssigner {
  readonly #pending = new Map<string, PendingOffer>();
  readonly #running = new Map<string, Job>();

  constructor(
    private readonly worker: JobOwner,
    private readonly ctx: AgentCoreContext,
  ) {}

  get runningJobIds(): string[] {
    return [...this.#running.keys()];
  }

  isRunning(jobId: string): boolean {
    return this.#running.has(jobId);
  }

  /** Offers a job and waits up to `windowMs` for the worker's AvailabilityResponse. */
  assign(job: Job, windowMs: number): Promise<AssignOutcome> {
    if (!this.worker.isOpen) return Promise.resolve({ kind: 'closed' });
    if (this.#pending.has(job.id)) return Promise.resolve({ kind: 'duplicate' });
    job.state = runningState(this.worker.workerId, this.ctx.clock.now());
    return new Promise<AssignOutcome>((resolve) => {
      let timer: TimerHandle | undefined;
      const settle = (outcome: AssignOutcome) => {
        timer?.cancel();
        this.#pending.delete(job.id);
        resolve(outcome);
      };
      this.#pending.set(job.id, { job, resolve: settle });
      timer = this.ctx.clock.setTimer(windowMs, () => settle({ kind: 'timeout', waitedMs: windowMs }));
      this.ctx.trace.record({ kind: 'job.offered', jobId: job.id, workerId: this.worker.workerId });
      this.worker.send(new ServerMessage({ message: { case: 'availability', value: new AvailabilityRequest({ job, resuming: false }) } }));
    });
  }

  handleAvailability(res: AvailabilityResponse): void {
    const pending = this.#pending.get(res.jobId);
    if (!pending) {
      this.ctx.trace.record({
        kind: 'worker.ignored',
        socketId: this.worker.socketId,
        workerId: this.worker.workerId,
        reason: `availability response for unknown job ${res.jobId} (late, or never offered)`,
      });
      return;
    }
    const { job } = pending;
    const now = this.ctx.clock.now();
    if (res.terminate) {
      job.state!.status = JobStatus.JS_SUCCESS;
      job.state!.endedAt = protoInt64.parse(BigInt(now) * 1_000_000n);
      return pending.resolve({ kind: 'declined', job });
    }
    if (!res.available) {
      this.ctx.trace.record({ kind: 'job.rejected', jobId: job.id, workerId: this.worker.workerId });
      return pending.resolve({ kind: 'unavailable' });
    }
    const token = buildAgentToken({
      apiKey: this.worker.credentials.apiKey,
      apiSecret: this.worker.credentials.apiSecret,
      room: job.room?.name ?? '',
      identity: res.participantIdentity,
      name: res.participantName,
      metadata: res.participantMetadata,
      attributes: { ...res.participantAttributes, [AGENT_NAME_ATTRIBUTE]: this.worker.key.agentName },
      permissions: this.worker.permissions,
      nowMs: now,
    });
    job.state!.participantIdentity = res.participantIdentity;
    this.#running.set(job.id, job);
    this.worker.send(new ServerMessage({ message: { case: 'assignment', value: new JobAssignment({ job, token }) } }));
    this.ctx.trace.record({ kind: 'job.assigned', jobId: job.id, workerId: this.worker.workerId, participantIdentity: res.participantIdentity });
    pending.resolve({ kind: 'accepted', job });
  }

  /** UpdateJobStatus: returns false for a job this worker is not running (ignored by the real server). */
  updateStatus(u: UpdateJobStatus): boolean {
    const job = this.#running.get(u.jobId);
    if (!job?.state) return false;
    const now = protoInt64.parse(BigInt(this.ctx.clock.now()) * 1_000_000n);
    if (job.state.status === JobStatus.JS_PENDING && u.status !== JobStatus.JS_PENDING) job.state.startedAt = now;
    job.state.updatedAt = now;
    job.state.status = u.status;
    job.state.error = u.error;
    const status = jobStatusName(u.status);
    this.ctx.trace.record({ kind: 'job.status', jobId: u.jobId, workerId: this.worker.workerId, status, error: u.error });
    if (u.status === JobStatus.JS_SUCCESS || u.status === JobStatus.JS_FAILED) {
      job.state.endedAt = now;
      this.#running.delete(u.jobId);
      this.ctx.ledger.ended(u.jobId, 'completed', why.workerReported(status, u.error), { workerId: this.worker.workerId, status });
    }
    return true;
  }

  /** Sends JobTermination for a running job and ends it as the server does; false if not running here. */
  terminate(jobId: string, reason: TerminationReason): boolean {
    const job = this.#running.get(jobId);
    if (!job) return false;
    this.#running.delete(jobId);
    this.worker.send(new ServerMessage({ message: { case: 'termination', value: new JobTermination({ jobId }) } }));
    const status = reason === 'termination_requested' ? 'JS_SUCCESS' : 'JS_FAILED';
    const text = reason === 'termination_requested' ? why.TERMINATION_REQUESTED : why.AGENT_LEFT_ROOM;
    this.ctx.ledger.ended(jobId, 'terminated', text, { workerId: this.worker.workerId, status });
    return true;
  }

  /** The socket closed: pending offers fail over to other workers, running jobs are orphaned. */
  workerClosed(): void {
    for (const p of [...this.#pending.values()]) p.resolve({ kind: 'closed' });
    for (const jobId of this.#running.keys()) {
      this.ctx.ledger.ended(jobId, 'orphaned', why.ORPHANED, { workerId: this.worker.workerId });
    }
    this.#running.clear();
  }

  /** SimulateJobRequest: a job for this worker only, typed by the presence of a participant. */
  newSimulatedJob(req: SimulateJobRequest): Job {
    const { key } = this.worker;
    const job = new Job({
      id: this.ctx.ids.next('AJ_'),
      type: req.participant ? JobType.JT_PUBLISHER : JobType.JT_ROOM,
      room: req.room,
      participant: req.participant,
      namespace: key.namespace,
      agentName: key.agentName,
    });
    this.ctx.ledger.created({
      jobId: job.id,
      room: req.room?.name ?? '',
      jobType: jobTypeName(job.type),
      agentName: job.agentName,
      namespace: job.namespace,
      dispatchId: '',
    });
    void this.assign(job, this.ctx.timing.assignJobTimeoutMs).then((o) => {
      if (o.kind === 'accepted') return;
      const outcome = o.kind === 'declined' ? 'declined' : o.kind === 'unavailable' ? 'rejected' : o.kind === 'timeout' ? 'timed_out' : 'dropped';
      this.ctx.ledger.ended(job.id, outcome, why.simulatedNotAccepted(o.kind), { workerId: this.worker.workerId });
    });
    return job;
  }
}

/** A job's state as the server sets it before the AvailabilityRequest (JS_RUNNING already). */
function runningState(workerId: string, nowMs: number): JobState {
  const ns = protoInt64.parse(BigInt(nowMs) * 1_000_000n);
  return new JobState({ status: JobStatus.JS_RUNNING, workerId, startedAt: ns, updatedAt: ns });
}
