import {
  AvailabilityResponse,
  JobStatus,
  JobType,
  RegisterWorkerRequest,
  ServerMessage,
  UpdateJobStatus,
  UpdateWorkerStatus,
  WorkerMessage,
  WorkerStatus,
  type Job,
} from '@livekit/protocol';
import { AccessToken } from 'livekit-server-sdk';
import WebSocket from 'ws';
import { ScenarioStepError } from '../errors.ts';
import type { Answer, ProtocolWorkerSpec } from '../model.ts';
import { pollUntil } from '../poll.ts';
import type { ScenarioWorker, WorkerEnv } from './scenario-worker.ts';

/**
 * The built-in worker: the agent protocol spoken directly with @livekit/protocol messages, answering each
 * AvailabilityRequest as the scenario says. No agent runtime, so it starts in milliseconds and its
 * behaviour is exact (late answers, never answering, FULL/load) — what the dispatch rules need.
 */
export class ProtocolWorker implements ScenarioWorker {
  readonly workerIds: string[] = [];
  #ws?: WebSocket;
  #registered = false;
  #requests = 0;
  #timers = new Set<NodeJS.Timeout>();
  /** jobId → { room, identity } of the agent participant this worker joined with. */
  #joined = new Map<string, { room: string; identity: string }>();

  constructor(
    readonly spec: ProtocolWorkerSpec,
    private readonly env: WorkerEnv,
  ) {}

  get alias(): string {
    return this.spec.id;
  }

  async start(): Promise<void> {
    const { target } = this.env;
    const at = new AccessToken(target.apiKey, target.apiSecret);
    at.addGrant({ agent: true });
    const url = `${target.workerWsUrl ?? target.wsUrl}/agent`;
    const ws = new WebSocket(url, { headers: { Authorization: `Bearer ${await at.toJwt()}` } });
    this.#ws = ws;
    this.#registered = false;
    ws.on('message', (data, isBinary) => {
      if (!isBinary) return;
      this.#onMessage(ServerMessage.fromBinary(data as Buffer));
    });
    ws.on('error', () => {}); // surfaced as a registration timeout or a closed socket in the trace
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', (e) => reject(new ScenarioStepError(`worker ${this.alias}: cannot connect to ${url}: ${e.message}`)));
    });
    this.#send({
      case: 'register',
      value: new RegisterWorkerRequest({
        type: JobType[this.spec.jobType ?? 'JT_ROOM'],
        agentName: this.spec.agentName ?? '',
        namespace: this.spec.namespace ?? '',
        deployment: this.spec.deployment ?? '',
        version: 'dispatch-lab-protocol-worker',
      }),
    });
    await pollUntil(() => (this.#registered ? '' : `worker ${this.alias} has no register response yet`), this.env.registerTimeoutMs).catch((e) => {
      throw new ScenarioStepError(e.message);
    });
    if (this.spec.load !== undefined || this.spec.status !== undefined) await this.setLoad(this.spec.load ?? 0, this.spec.status);
  }

  async setLoad(load: number, status?: 'available' | 'full'): Promise<void> {
    const s = status === undefined ? undefined : status === 'full' ? WorkerStatus.WS_FULL : WorkerStatus.WS_AVAILABLE;
    this.#send({ case: 'updateWorker', value: new UpdateWorkerStatus({ load, status: s }) });
  }

  /** agents-js drains by reporting WS_FULL with load 1 and keeps its running jobs. */
  async drain(): Promise<void> {
    await this.setLoad(1, 'full');
  }

  async kill(): Promise<void> {
    this.#clearTimers();
    const ws = this.#ws;
    if (!ws || ws.readyState === WebSocket.CLOSED) return;
    const closed = new Promise<void>((r) => ws.once('close', () => r()));
    ws.terminate();
    await closed;
  }

  async restart(): Promise<void> {
    await this.kill();
    this.#joined.clear();
    await this.start();
  }

  async dispose(): Promise<void> {
    await this.kill();
  }

  #send(message: WorkerMessage['message']): void {
    if (this.#ws?.readyState === WebSocket.OPEN) this.#ws.send(new WorkerMessage({ message }).toBinary());
  }

  #later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.#timers.delete(t);
      fn();
    }, ms);
    this.#timers.add(t);
  }

  #clearTimers(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }

  #onMessage(msg: ServerMessage): void {
    const m = msg.message;
    if (m.case === 'register') {
      this.workerIds.push(m.value.workerId);
      this.#registered = true;
    } else if (m.case === 'availability' && m.value.job) {
      this.#answer(m.value.job);
    } else if (m.case === 'assignment' && m.value.job) {
      void this.#onAssigned(m.value.job, m.value.token);
    } else if (m.case === 'termination') {
      void this.#leave(m.value.jobId);
    }
  }

  #nextAnswer(): Answer {
    const a = this.spec.answer ?? 'accept';
    if (!Array.isArray(a)) return a;
    return a[Math.min(this.#requests++, a.length - 1)] ?? 'accept';
  }

  #answer(job: Job): void {
    const answer = this.#nextAnswer();
    const identity = `agent-${this.alias}-${job.id.slice(-4)}`;
    const reply = (r: Partial<AvailabilityResponse>) =>
      this.#send({ case: 'availability', value: new AvailabilityResponse({ jobId: job.id, available: false, ...r }) });
    if (answer === 'never') return;
    if (answer === 'reject') return reply({ available: false });
    if (answer === 'terminate') return reply({ terminate: true });
    const accept = () => reply({ available: true, participantIdentity: identity, participantName: `agent ${this.alias}` });
    if (answer === 'accept') return accept();
    if ('late' in answer) return this.#later(answer.late, accept);
  }

  async #onAssigned(job: Job, token: string): Promise<void> {
    const identity = job.state?.participantIdentity ?? '';
    if (this.spec.joinRoom && job.room && identity) {
      this.#joined.set(job.id, { room: job.room.name, identity });
      await this.env.participants.join({ room: job.room.name, identity, kind: 'agent', token }).catch(() => this.#joined.delete(job.id));
    }
    if (this.spec.completeAfterMs !== undefined) {
      this.#later(this.spec.completeAfterMs, () => {
        this.#send({ case: 'updateJob', value: new UpdateJobStatus({ jobId: job.id, status: JobStatus.JS_SUCCESS }) });
        void this.#leave(job.id);
      });
    }
  }

  /** A terminated or finished job's agent leaves its room, as a real agent does. */
  async #leave(jobId: string): Promise<void> {
    const joined = this.#joined.get(jobId);
    if (!joined) return;
    this.#joined.delete(jobId);
    await this.env.participants.leave(joined.room, joined.identity).catch(() => {});
  }
}
