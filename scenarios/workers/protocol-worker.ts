import { JobStatus, JobType, WorkerStatus, type AvailabilityResponse, type Job, type ServerMessage } from '@livekit/protocol';
import { AgentProtocolClient } from '../../protocol-worker/agent-protocol-client.ts';
import { ScenarioStepError } from '../errors.ts';
import type { Answer, ProtocolWorkerSpec } from '../model.ts';
import { WorkerBase, type ScenarioWorker } from './scenario-worker.ts';

/**
 * The built-in worker: the agent protocol spoken directly (protocol-worker/), answering each
 * AvailabilityRequest as the scenario says. No agent runtime, so it starts in milliseconds and its
 * behaviour is exact (late answers, never answering, FULL/load) — what the dispatch rules need.
 */
export class ProtocolWorker extends WorkerBase<ProtocolWorkerSpec> implements ScenarioWorker {
  #client?: AgentProtocolClient;
  #requests = 0;
  #timers = new Set<NodeJS.Timeout>();
  /** jobId → { room, identity } of the agent participant this worker joined with. */
  #joined = new Map<string, { room: string; identity: string }>();

  async start(): Promise<void> {
    const { target } = this.env;
    const base = target.workerWsUrl ?? target.wsUrl;
    const client = new AgentProtocolClient({
      url: base,
      apiKey: target.apiKey,
      apiSecret: target.apiSecret,
      jobType: JobType[this.spec.jobType ?? 'JT_ROOM'],
      agentName: this.spec.agentName ?? '',
      namespace: this.spec.namespace ?? '',
      deployment: this.spec.deployment ?? '',
      version: 'dispatch-lab-protocol-worker',
      record: false,
      answer: (job) => this.#answer(job),
      onMessage: (msg) => this.#onMessage(msg),
    });
    this.#client = client;
    await client.connect().catch((e: Error) => {
      throw new ScenarioStepError(`worker ${this.alias}: cannot connect to ${base}/agent: ${e.message}`);
    });
    await client.register(this.env.registerTimeoutMs).catch((e: Error) => {
      throw new ScenarioStepError(`worker ${this.alias}: ${e.message}`);
    });
    if (this.spec.load !== undefined || this.spec.status !== undefined) await this.setLoad(this.spec.load ?? 0, this.spec.status);
  }

  async setLoad(load: number, status?: 'available' | 'full'): Promise<void> {
    const s = status === undefined ? undefined : status === 'full' ? WorkerStatus.WS_FULL : WorkerStatus.WS_AVAILABLE;
    this.#client?.updateStatus(load, s);
  }

  /** agents-js drains by reporting WS_FULL with load 1 and keeps its running jobs. */
  async drain(): Promise<void> {
    await this.setLoad(1, 'full');
  }

  async kill(): Promise<void> {
    this.#clearTimers();
    await this.#client?.terminate();
  }

  async restart(): Promise<void> {
    await this.kill();
    this.#joined.clear();
    await this.start();
  }

  async dispose(): Promise<void> {
    await this.kill();
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

  /** The scenario's next answer; 'ignore' for one that is never given or given later. */
  #answer(job: Job): Partial<AvailabilityResponse> | 'ignore' {
    const answer = this.#nextAnswer();
    // every field explicit: the client's default answer is an accept
    const reply = (r: Partial<AvailabilityResponse>) => ({ available: false, participantIdentity: '', ...r });
    const accept = reply({ available: true, participantIdentity: `agent-${this.alias}-${job.id.slice(-4)}`, participantName: `agent ${this.alias}` });
    if (answer === 'reject') return reply({ available: false });
    if (answer === 'terminate') return reply({ terminate: true });
    if (answer === 'accept') return accept;
    if (answer !== 'never' && 'late' in answer) this.#later(answer.late, () => this.#client?.answer(job.id, accept));
    return 'ignore';
  }

  async #onAssigned(job: Job, token: string): Promise<void> {
    const identity = job.state?.participantIdentity ?? '';
    if (this.spec.joinRoom && job.room && identity) {
      this.#joined.set(job.id, { room: job.room.name, identity });
      await this.env.participants.join({ room: job.room.name, identity, kind: 'agent', token }).catch(() => this.#joined.delete(job.id));
    }
    if (this.spec.completeAfterMs !== undefined) {
      this.#later(this.spec.completeAfterMs, () => {
        this.#client?.updateJob(job.id, JobStatus.JS_SUCCESS);
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
