import {
  JobState,
  JobStatus,
  JobType,
  ParticipantPermission,
  ServerMessage,
  WorkerPong,
  WorkerStatus,
  type Job,
  type SimulateJobRequest,
  type UpdateJobStatus,
  type UpdateWorkerStatus,
  WorkerMessage,
  RegisterWorkerResponse,
  type RegisterWorkerRequest,
  protoInt64,
} from '@livekit/protocol';
import type { AuthContext } from '../auth/claims.ts';
import type { TimerHandle } from '../core/clock.ts';
import { isValidDeployment } from '../config/limits.ts';
import { decodeStrict } from '../core/strict-proto.ts';
import type { JsonObject, TraceEventBody } from '../trace/events.ts';
import { redactMessageJson } from '../trace/redact.ts';
import type { AgentCoreContext } from './agent-context.ts';
import { jobStatusName, jobTypeName, workerStatusName } from './job-types.ts';
import { JobAssigner, type AssignOutcome, type TerminationReason } from './job-assigner.ts';
import type { WorkerConnection } from './worker-connection.ts';
import type { WorkerKey } from './worker-key.ts';

export interface WorkerSessionHost {
  /** Called once the worker is registered (after the response is written, as the real server). */
  onRegistered(session: WorkerSession): void;
  onClosed(session: WorkerSession): void;
}

type Phase = 'handshake' | 'registered' | 'closed';
type WorkerMessageEvent = Extract<TraceEventBody, { kind: 'worker.message' }>;

/** Defaults when `allowed_permissions` is absent (worker.go HandleRegister). */
const DEFAULT_PERMISSIONS = () =>
  new ParticipantPermission({ canSubscribe: true, canPublish: true, canPublishData: true, canUpdateMetadata: true });

/**
 * One worker WebSocket, socket-free: the handshake, the registered worker's state and its messages
 * (worker.go). Protocol violations close the connection exactly where livekit-server closes it.
 */
export class WorkerSession {
  readonly workerId: string;
  phase: Phase = 'handshake';
  key?: WorkerKey;
  version = '';
  status = WorkerStatus.WS_AVAILABLE;
  load = 0;
  permissions = DEFAULT_PERMISSIONS();
  readonly jobs: JobAssigner;
  #registerTimer?: TimerHandle;

  constructor(
    readonly socketId: string,
    readonly auth: AuthContext,
    private readonly conn: WorkerConnection,
    private readonly ctx: AgentCoreContext,
    private readonly host: WorkerSessionHost,
  ) {
    this.workerId = ctx.ids.next('AW_');
    this.jobs = new JobAssigner(this, ctx);
    ctx.trace.record({ kind: 'worker.connected', socketId });
    this.#registerTimer = ctx.clock.setTimer(ctx.timing.registerTimeoutMs, () =>
      this.violation(`no register message within ${ctx.timing.registerTimeoutMs} ms of connecting`),
    );
  }

  get isOpen(): boolean {
    return this.phase !== 'closed';
  }

  send(message: ServerMessage): void {
    if (!this.isOpen) return;
    // Encoded once, here: the bytes go on the wire and are the trace's snapshot of the message, which the
    // caller may mutate after sending (a job's state is); the trace's JSON is decoded from them on first read.
    const encoded = message.toBinary();
    this.ctx.trace.recordLazy<WorkerMessageEvent, 'message'>(
      { kind: 'worker.message', socketId: this.socketId, workerId: this.key ? this.workerId : undefined, direction: 'out', case: message.message.case ?? 'unknown' },
      'message',
      () => messageJson(ServerMessage.fromBinary(encoded).message.value),
    );
    this.conn.send(message, encoded);
  }

  /**
   * `frame`: the binary frame the message was decoded from (a private copy); the trace decodes its JSON
   * from it on first read. Without it (JSON text frames, in-memory tests) the JSON is taken at once.
   */
  handleMessage(msg: WorkerMessage, frame?: Uint8Array): void {
    if (!this.isOpen) return;
    const m = msg.message;
    const body = { kind: 'worker.message', socketId: this.socketId, workerId: this.key ? this.workerId : undefined, direction: 'in', case: m.case ?? 'unknown' } as const;
    if (frame) this.ctx.trace.recordLazy<WorkerMessageEvent, 'message'>(body, 'message', () => messageJson(decodeStrict(WorkerMessage, frame).message.value));
    else this.ctx.trace.record({ ...body, message: messageJson(m.value) });
    if (m.case === undefined) return this.violation('message with no oneof case set (unknown worker signal)');
    if (m.case === 'ping') {
      this.send(new ServerMessage({ message: { case: 'pong', value: new WorkerPong({ lastTimestamp: m.value.timestamp, timestamp: protoInt64.parse(this.ctx.clock.now()) }) } }));
      return;
    }
    if (this.phase === 'handshake') {
      if (m.case === 'register') return this.#register(m.value);
      return this.violation(`"${m.case}" before registration: only register and ping are allowed`);
    }
    switch (m.case) {
      case 'register':
        return this.violation('second register message on a registered connection');
      case 'availability':
        return this.jobs.handleAvailability(m.value);
      case 'updateWorker':
        return this.#updateWorker(m.value);
      case 'updateJob':
        return this.#updateJob(m.value);
      case 'simulateJob':
        return this.#simulateJob(m.value);
      case 'migrateJob':
        return; // a no-op in livekit-server: no reply, connection stays open
    }
  }

  /** An undecodable frame is a read error: the real server closes the connection. */
  handleUndecodable(reason: string): void {
    this.violation(`undecodable frame: ${reason}`);
  }

  violation(reason: string): void {
    if (!this.isOpen) return;
    this.ctx.trace.record({ kind: 'worker.violation', socketId: this.socketId, workerId: this.key ? this.workerId : undefined, reason });
    this.close(`protocol violation: ${reason}`);
    this.conn.terminate();
  }

  /** The socket is gone (peer close, error, or our own close): orphan jobs and leave the pool. */
  close(reason: string): void {
    if (!this.isOpen) return;
    const wasRegistered = this.phase === 'registered';
    this.phase = 'closed';
    this.#registerTimer?.cancel();
    this.jobs.workerClosed();
    this.ctx.trace.record({ kind: 'worker.closed', socketId: this.socketId, workerId: wasRegistered ? this.workerId : undefined, reason });
    // every socket, registered or not, leaves the host's registry (unregistered ones used to stay there forever)
    this.host.onClosed(this);
  }

  assignJob(job: Job, windowMs: number): Promise<AssignOutcome> {
    return this.jobs.assign(job, windowMs);
  }

  terminateJob(jobId: string, reason: TerminationReason): boolean {
    return this.jobs.terminate(jobId, reason);
  }

  #register(req: RegisterWorkerRequest): void {
    if (!(req.type in JobType) || typeof JobType[req.type] !== 'string') {
      return this.violation(`register with unknown job type ${req.type}`);
    }
    if (!isValidDeployment(req.deployment)) return this.violation(`register with invalid deployment "${req.deployment}"`);
    this.#registerTimer?.cancel();
    this.key = { agentName: req.agentName, namespace: req.namespace ?? '', jobType: req.type, deployment: req.deployment };
    this.version = req.version;
    if (req.allowedPermissions) this.permissions = req.allowedPermissions;
    this.send(new ServerMessage({ message: { case: 'register', value: new RegisterWorkerResponse({ workerId: this.workerId, serverInfo: this.ctx.serverInfo }) } }));
    this.phase = 'registered';
    this.ctx.trace.record({
      kind: 'worker.registered',
      socketId: this.socketId,
      workerId: this.workerId,
      agentName: this.key.agentName,
      namespace: this.key.namespace,
      jobType: jobTypeName(this.key.jobType),
      deployment: this.key.deployment,
      version: this.version,
    });
    this.host.onRegistered(this);
  }

  #updateWorker(u: UpdateWorkerStatus): void {
    // status is optional and kept when absent; load is always overwritten (absent = 0); job_count is ignored
    if (u.status !== undefined) this.status = u.status;
    this.load = u.load;
    this.ctx.trace.record({ kind: 'worker.status', workerId: this.workerId, status: workerStatusName(this.status), load: this.load });
  }

  #updateJob(u: UpdateJobStatus): void {
    if (!this.jobs.updateStatus(u)) {
      this.ctx.trace.record({ kind: 'worker.ignored', socketId: this.socketId, workerId: this.workerId, reason: `update_job for unknown job ${u.jobId}` });
    }
  }

  #simulateJob(req: SimulateJobRequest): void {
    if (!req.room) {
      // livekit-server dereferences the missing room and crashes; the lab refuses the request instead.
      this.ctx.trace.record({ kind: 'worker.ignored', socketId: this.socketId, workerId: this.workerId, reason: 'simulate_job without a room (the real server would crash on it)' });
      return;
    }
    this.jobs.newSimulatedJob(req);
  }
}

/** A job's state as the server sets it before the AvailabilityRequest (JS_RUNNING already). */
export function runningState(workerId: string, nowMs: number): JobState {
  const ns = protoInt64.parse(BigInt(nowMs) * 1_000_000n);
  return new JobState({ status: JobStatus.JS_RUNNING, workerId, startedAt: ns, updatedAt: ns });
}

export { jobStatusName };

function messageJson(value: unknown): JsonObject {
  const v = value as { toJson?: (o?: object) => unknown } | undefined;
  // the JobAssignment token is a credential: it never reaches the trace in full
  return redactMessageJson((v?.toJson?.({ emitDefaultValues: false }) ?? {}) as JsonObject);
}
