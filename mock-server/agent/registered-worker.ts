import {
  WorkerStatus,
  type AvailabilityResponse,
  type Job,
  type ParticipantPermission,
  type ServerMessage,
  type SimulateJobRequest,
  type UpdateJobStatus,
  type UpdateWorkerStatus,
} from '@livekit/protocol';
import type { AuthContext } from '../auth/claims.ts';
import type { AgentCoreContext } from './agent-context.ts';
import { JobAssigner, type AssignOutcome, type JobOwner, type TerminationReason } from './job-assigner.ts';
import { workerStatusName } from './job-types.ts';
import type { WorkerKey } from './worker-key.ts';

/** What a registered worker uses of its socket; WorkerSession provides it. */
export interface WorkerLink {
  readonly workerId: string;
  readonly socketId: string;
  readonly auth: AuthContext;
  readonly isOpen: boolean;
  send(message: ServerMessage): void;
}

/** What `register` fixed for the life of the connection (worker.go HandleRegister). */
export interface Registration {
  key: WorkerKey;
  version: string;
  permissions: ParticipantPermission;
}

/**
 * A worker after a valid `register` (worker.go Worker): its key, its status and load, and its jobs.
 * Created by WorkerSession at registration, so everything that pools, selects or describes workers has a key.
 */
export class RegisteredWorker implements JobOwner {
  readonly key: WorkerKey;
  readonly version: string;
  readonly permissions: ParticipantPermission;
  #status = WorkerStatus.WS_AVAILABLE;
  #load = 0;
  readonly #jobs: JobAssigner;

  constructor(
    private readonly link: WorkerLink,
    registration: Registration,
    private readonly ctx: AgentCoreContext,
  ) {
    this.key = registration.key;
    this.version = registration.version;
    this.permissions = registration.permissions;
    this.#jobs = new JobAssigner(this, ctx);
  }

  get workerId(): string {
    return this.link.workerId;
  }

  get socketId(): string {
    return this.link.socketId;
  }

  get isOpen(): boolean {
    return this.link.isOpen;
  }

  get credentials(): { apiKey: string; apiSecret: string } {
    return this.link.auth;
  }

  get status(): WorkerStatus {
    return this.#status;
  }

  get load(): number {
    return this.#load;
  }

  send(message: ServerMessage): void {
    this.link.send(message);
  }

  /** worker.go AssignJob: offers the job and waits up to `windowMs` for the answer. */
  assignJob(job: Job, windowMs: number): Promise<AssignOutcome> {
    return this.#jobs.assign(job, windowMs);
  }

  /** worker.go TerminateJob; false if the job is not running here. */
  terminateJob(jobId: string, reason: TerminationReason): boolean {
    return this.#jobs.terminate(jobId, reason);
  }

  get runningJobIds(): string[] {
    return this.#jobs.runningJobIds;
  }

  isRunning(jobId: string): boolean {
    return this.#jobs.isRunning(jobId);
  }

  handleAvailability(res: AvailabilityResponse): void {
    this.#jobs.handleAvailability(res);
  }

  /** worker.go UpdateWorkerStatus: status is optional and kept when absent; load is always overwritten (absent = 0); job_count is ignored. */
  updateStatus(u: UpdateWorkerStatus): void {
    if (u.status !== undefined) this.#status = u.status;
    this.#load = u.load;
    this.ctx.trace.record({ kind: 'worker.status', workerId: this.workerId, status: workerStatusName(this.#status), load: this.#load });
  }

  updateJob(u: UpdateJobStatus): void {
    if (!this.#jobs.updateStatus(u)) {
      this.ctx.trace.record({ kind: 'worker.ignored', socketId: this.socketId, workerId: this.workerId, reason: `update_job for unknown job ${u.jobId}` });
    }
  }

  simulateJob(req: SimulateJobRequest): void {
    if (!req.room) {
      // livekit-server dereferences the missing room and crashes; the lab refuses the request instead.
      this.ctx.trace.record({ kind: 'worker.ignored', socketId: this.socketId, workerId: this.workerId, reason: 'simulate_job without a room (the real server would crash on it)' });
      return;
    }
    this.#jobs.newSimulatedJob(req);
  }

  /** The socket closed: pending offers fail over, running jobs are orphaned. */
  closed(): void {
    this.#jobs.workerClosed();
  }
}
