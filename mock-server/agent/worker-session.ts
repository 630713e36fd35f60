import {
  JobType,
  ParticipantPermission,
  ServerMessage,
  WorkerPong,
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
import { jobTypeName } from './job-types.ts';
import { RegisteredWorker } from './registered-worker.ts';
import type { WorkerConnection } from './worker-connection.ts';

export interface WorkerSessionHost {
  /** Called once the worker is registered (after the response is written, as the real server). */
  onRegistered(worker: RegisteredWorker): void;
  /** `worker`: the registered worker of this socket, if it got that far. */
  onClosed(session: WorkerSession, worker: RegisteredWorker | undefined): void;
}
type WorkerMessageEvent = Extract<TraceEventBody, { kind: 'worker.message' }>;

/** Defaults when `allowed_permissions` is absent (worker.go HandleRegister). */
const DEFAULT_PERMISSIONS = () =>
  new ParticipantPermission({ canSubscribe: true, canPublish: true, canPublishData: true, canUpdateMetadata: true });

/**
 * One worker WebSocket, socket-free (worker.go WorkerRegisterer, then Worker): the handshake, then the
 * RegisteredWorker it creates at registration, to which the registered phase's messages go. Protocol
 * violations close the connection exactly where livekit-server closes it.
 */
export class WorkerSession {
  readonly workerId: string;
  #worker?: RegisteredWorker;
  #closed = false;
  #registerTimer?: TimerHandle;

  constructor(
    readonly socketId: string,
    readonly auth: AuthContext,
    private readonly conn: WorkerConnection,
    private readonly ctx: AgentCoreContext,
    private readonly host: WorkerSessionHost,
  ) {
    this.workerId = ctx.ids.next('AW_');
    ctx.trace.record({ kind: 'worker.connected', socketId });
    this.#registerTimer = ctx.clock.setTimer(ctx.timing.registerTimeoutMs, () =>
      this.violation(`no register message within ${ctx.timing.registerTimeoutMs} ms of connecting`),
    );
  }

  get isOpen(): boolean {
    return !this.#closed;
  }

  /** The worker this socket registered, once it has. */
  get registered(): RegisteredWorker | undefined {
    return this.#worker;
  }

  send(message: ServerMessage): void {
    if (!this.isOpen) return;
    // Encoded once, here: the bytes go on the wire and are the trace's snapshot of the message, which the
    // caller may mutate after sending (a job's state is); the trace's JSON is decoded from them on first read.
    const encoded = message.toBinary();
    this.ctx.trace.recordLazy<WorkerMessageEvent, 'message'>(
      { kind: 'worker.message', socketId: this.socketId, workerId: this.#worker ? this.workerId : undefined, direction: 'out', case: message.message.case ?? 'unknown' },
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
    const body = { kind: 'worker.message', socketId: this.socketId, workerId: this.#worker ? this.workerId : undefined, direction: 'in', case: m.case ?? 'unknown' } as const;
    if (frame) this.ctx.trace.recordLazy<WorkerMessageEvent, 'message'>(body, 'message', () => messageJson(decodeStrict(WorkerMessage, frame).message.value));
    else this.ctx.trace.record({ ...body, message: messageJson(m.value) });
    if (m.case === undefined) return this.violation('message with no oneof case set (unknown worker signal)');
    if (m.case === 'ping') {
      this.send(new ServerMessage({ message: { case: 'pong', value: new WorkerPong({ lastTimestamp: m.value.timestamp, timestamp: protoInt64.parse(this.ctx.clock.now()) }) } }));
      return;
    }
    const worker = this.#worker;
    if (!worker) {
      if (m.case === 'register') return this.#register(m.value);
      return this.violation(`"${m.case}" before registration: only register and ping are allowed`);
    }
    switch (m.case) {
      case 'register':
        return this.violation('second register message on a registered connection');
      case 'availability':
        return worker.handleAvailability(m.value);
      case 'updateWorker':
        return worker.updateStatus(m.value);
      case 'updateJob':
        return worker.updateJob(m.value);
      case 'simulateJob':
        return worker.simulateJob(m.value);
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
    this.ctx.trace.record({ kind: 'worker.violation', socketId: this.socketId, workerId: this.#worker ? this.workerId : undefined, reason });
    this.close(`protocol violation: ${reason}`);
    this.conn.terminate();
  }

  /** The socket is gone (peer close, error, or our own close): orphan jobs and leave the pool. */
  close(reason: string): void {
    if (!this.isOpen) return;
    this.#closed = true;
    this.#registerTimer?.cancel();
    const worker = this.#worker;
    worker?.closed();
    this.ctx.trace.record({ kind: 'worker.closed', socketId: this.socketId, workerId: worker ? this.workerId : undefined, reason });
    // every socket, registered or not, leaves the host's registry (unregistered ones used to stay there forever)
    this.host.onClosed(this, worker);
  }

  #register(req: RegisterWorkerRequest): void {
    if (!(req.type in JobType) || typeof JobType[req.type] !== 'string') {
      return this.violation(`register with unknown job type ${req.type}`);
    }
    if (!isValidDeployment(req.deployment)) return this.violation(`register with invalid deployment "${req.deployment}"`);
    this.#registerTimer?.cancel();
    const key = { agentName: req.agentName, namespace: req.namespace ?? '', jobType: req.type, deployment: req.deployment };
    const worker = new RegisteredWorker(this, { key, version: req.version, permissions: req.allowedPermissions ?? DEFAULT_PERMISSIONS() }, this.ctx);
    this.#worker = worker;
    this.send(new ServerMessage({ message: { case: 'register', value: new RegisterWorkerResponse({ workerId: this.workerId, serverInfo: this.ctx.serverInfo }) } }));
    this.ctx.trace.record({
      kind: 'worker.registered',
      socketId: this.socketId,
      workerId: this.workerId,
      agentName: key.agentName,
      namespace: key.namespace,
      jobType: jobTypeName(key.jobType),
      deployment: key.deployment,
      version: worker.version,
    });
    this.host.onRegistered(worker);
  }
}

function messageJson(value: unknown): JsonObject {
  const v = value as { toJson?: (o?: object) => unknown } | undefined;
  // the JobAssignment token is a credential: it never reaches the trace in full
  return redactMessageJson((v?.toJson?.({ emitDefaultValues: false }) ?? {}) as JsonObject);
}
