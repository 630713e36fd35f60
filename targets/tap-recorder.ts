import { JobStatus, ServerMessage, WorkerMessage, WorkerStatus, type Job } from '@livekit/protocol';
import { jobStatusName, jobTypeName, workerStatusName } from '../mock-server/agent/job-types.ts';
import { DECLINED, ORPHANED } from '../mock-server/dispatch/end-reasons.ts';
import type { JobStatusName, JsonObject } from '../mock-server/trace/events.ts';
import type { Trace } from '../mock-server/trace/trace.ts';
import { redactMessageJson } from '../mock-server/trace/redact.ts';

/** Jobs seen on any socket of one tap, so `job.created` is recorded once per job id, whichever worker got it. */
export class TapJobBook {
  readonly #created = new Set<string>();
  readonly #ended = new Set<string>();

  /** True the first time a job id is seen. */
  firstSighting(jobId: string): boolean {
    if (this.#created.has(jobId)) return false;
    this.#created.add(jobId);
    return true;
  }

  /** True the first time a job ends; later ends are ignored, as the mock's ledger does. */
  end(jobId: string): boolean {
    if (this.#ended.has(jobId)) return false;
    this.#ended.add(jobId);
    return true;
  }
}

// The mock's reason texts (mock-server/dispatch/end-reasons.ts), so traces read alike; the wire cannot tell why a job was terminated.
const TERMINATED = 'server sent JobTermination (the reason, dispatch deleted or agent left, is not on the wire)';

/**
 * Turns the frames of one proxied worker socket into the trace events the mock records for the same
 * exchange (mock-server/agent/worker-session.ts, registered-worker.ts, job-assigner.ts). It sees only the wire: jobs the real
 * server drops before offering them never appear.
 */
export class TapRecorder {
  #workerId?: string;
  #registerRequest?: WorkerMessage['message'] & { case: 'register' };
  #status = WorkerStatus.WS_AVAILABLE;
  readonly #offered = new Map<string, Job>();
  readonly #running = new Set<string>();
  #closed = false;

  constructor(
    readonly socketId: string,
    private readonly trace: Trace,
    private readonly jobs: TapJobBook,
  ) {
    trace.record({ kind: 'worker.connected', socketId });
  }

  get workerId(): string | undefined {
    return this.#workerId;
  }

  /** A frame from the worker. Returns false if it could not be decoded (the server will close the socket). */
  fromWorker(data: Uint8Array | string): boolean {
    const msg = decode(WorkerMessage, data);
    if (!msg) return false;
    const m = msg.message;
    this.#message('in', m.case, m.value);
    switch (m.case) {
      case 'register':
        if (!this.#workerId) this.#registerRequest = m;
        return true;
      case 'availability': {
        const res = m.value;
        const job = this.#offered.get(res.jobId);
        if (!job || !this.#workerId) {
          this.#ignored(`availability response for unknown job ${res.jobId} (late, or never offered)`);
          return true;
        }
        if (res.terminate) {
          this.#offered.delete(res.jobId);
          this.#end(res.jobId, 'declined', DECLINED, 'JS_SUCCESS');
        } else if (!res.available) {
          this.#offered.delete(res.jobId);
          this.trace.record({ kind: 'job.rejected', jobId: res.jobId, workerId: this.#workerId });
        }
        return true;
      }
      case 'updateWorker':
        if (!this.#workerId) return true;
        // status is kept when absent; load is always overwritten (absent = 0)
        if (m.value.status !== undefined) this.#status = m.value.status;
        this.trace.record({ kind: 'worker.status', workerId: this.#workerId, status: workerStatusName(this.#status), load: m.value.load });
        return true;
      case 'updateJob': {
        const u = m.value;
        if (!this.#workerId || !this.#running.has(u.jobId)) {
          if (this.#workerId) this.#ignored(`update_job for unknown job ${u.jobId}`);
          return true;
        }
        const status = jobStatusName(u.status);
        this.trace.record({ kind: 'job.status', jobId: u.jobId, workerId: this.#workerId, status, error: u.error });
        if (u.status === JobStatus.JS_SUCCESS || u.status === JobStatus.JS_FAILED) {
          this.#running.delete(u.jobId);
          this.#end(u.jobId, 'completed', u.error ? `worker reported ${status}: ${u.error}` : `worker reported ${status}`, status);
        }
        return true;
      }
      default:
        return true;
    }
  }

  /** A frame from the server. Returns false if it could not be decoded. */
  fromServer(data: Uint8Array | string): boolean {
    const msg = decode(ServerMessage, data);
    if (!msg) return false;
    const m = msg.message;
    if (m.case === 'register') this.#workerId = m.value.workerId;
    if (m.case === 'availability' && m.value.job) {
      const job = m.value.job;
      if (this.jobs.firstSighting(job.id)) {
        this.trace.record({
          kind: 'job.created',
          jobId: job.id,
          room: job.room?.name ?? '',
          jobType: jobTypeName(job.type),
          agentName: job.agentName,
          namespace: job.namespace,
          dispatchId: job.dispatchId,
          ...(job.participant ? { participantIdentity: job.participant.identity } : {}),
        });
      }
      this.#offered.set(job.id, job);
      this.trace.record({ kind: 'job.offered', jobId: job.id, workerId: this.#workerId ?? job.state?.workerId ?? '' });
    }
    this.#message('out', m.case, m.value);
    // the response is recorded first, then the registration, as the mock does
    if (m.case === 'register') this.#recordRegistered();
    if (m.case === 'assignment' && m.value.job) {
      const job = m.value.job;
      this.#offered.delete(job.id);
      this.#running.add(job.id);
      this.trace.record({ kind: 'job.assigned', jobId: job.id, workerId: this.#workerId ?? '', participantIdentity: job.state?.participantIdentity ?? '' });
    }
    if (m.case === 'termination' && this.#running.delete(m.value.jobId)) {
      this.#end(m.value.jobId, 'terminated', TERMINATED);
    }
    return true;
  }

  /** The proxied socket is gone (either side): running jobs are orphaned, as on the real server. */
  closed(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const jobId of this.#running) this.#end(jobId, 'orphaned', ORPHANED);
    this.#running.clear();
    this.trace.record({ kind: 'worker.closed', socketId: this.socketId, workerId: this.#workerId, reason });
  }

  #recordRegistered(): void {
    const req = this.#registerRequest?.value;
    this.trace.record({
      kind: 'worker.registered',
      socketId: this.socketId,
      workerId: this.#workerId!,
      agentName: req?.agentName ?? '',
      namespace: req?.namespace ?? '',
      jobType: jobTypeName(req?.type ?? 0),
      deployment: req?.deployment ?? '',
      version: req?.version ?? '',
    });
  }

  #message(direction: 'in' | 'out', kase: string | undefined, value: unknown): void {
    this.trace.record({
      kind: 'worker.message',
      socketId: this.socketId,
      workerId: this.#workerId,
      direction,
      case: kase ?? 'unknown',
      message: messageJson(value),
    });
  }

  #ignored(reason: string): void {
    this.trace.record({ kind: 'worker.ignored', socketId: this.socketId, workerId: this.#workerId, reason });
  }

  #end(jobId: string, outcome: 'declined' | 'completed' | 'terminated' | 'orphaned', reason: string, status?: JobStatusName): void {
    if (!this.jobs.end(jobId)) return;
    this.trace.record({ kind: 'job.ended', jobId, workerId: this.#workerId, outcome, reason, ...(status ? { status } : {}) });
  }
}

interface Decodable<T> {
  fromBinary(bytes: Uint8Array): T;
  fromJson(json: unknown, opts?: { ignoreUnknownFields?: boolean }): T;
}

/** Binary frames are protobuf, text frames protojson (the server accepts both). */
function decode<T>(type: Decodable<T>, data: Uint8Array | string): T | undefined {
  try {
    return typeof data === 'string' ? type.fromJson(JSON.parse(data), { ignoreUnknownFields: true }) : type.fromBinary(data);
  } catch {
    return undefined;
  }
}

function messageJson(value: unknown): JsonObject {
  const v = value as { toJson?: (o?: object) => unknown } | undefined;
  // the same redaction as the mock's trace: JobAssignment tokens never reach the trace in full
  return redactMessageJson((v?.toJson?.({ emitDefaultValues: false }) ?? {}) as JsonObject);
}
