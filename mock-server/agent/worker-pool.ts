import type { JobType } from '@livekit/protocol';
import { workerKeyString, type WorkerKey } from './worker-key.ts';
import type { WorkerSession } from './worker-session.ts';

/** Registered workers by key (AgentHandler.namespaceWorkers), plus the node-wide lists used for routing. */
export class WorkerPool {
  readonly #byKey = new Map<string, WorkerSession[]>();
  readonly #all = new Set<WorkerSession>();

  /** Returns whether the worker's key is new (AgentHandler `created`: the node then announces it). */
  add(worker: WorkerSession): boolean {
    const k = workerKeyString(worker.key!);
    const existing = this.#byKey.get(k) ?? [];
    this.#byKey.set(k, [...existing, worker]);
    this.#all.add(worker);
    return existing.length === 0;
  }

  remove(worker: WorkerSession): void {
    if (!this.#all.delete(worker)) return;
    const k = workerKeyString(worker.key!);
    const rest = (this.#byKey.get(k) ?? []).filter((w) => w !== worker);
    if (rest.length) this.#byKey.set(k, rest);
    else this.#byKey.delete(k);
  }

  workersFor(key: WorkerKey): readonly WorkerSession[] {
    return this.#byKey.get(workerKeyString(key)) ?? [];
  }

  all(): WorkerSession[] {
    return [...this.#all];
  }

  get size(): number {
    return this.#all.size;
  }

  /**
   * The namespaces a job of this type and agent name fans out to (agent client getDispatcher over the
   * node's CheckEnabled answer). A node lists all its namespaces and agent names for every job type it
   * has any worker of. Returns undefined for a named agent the node does not list at all.
   */
  dispatchNamespaces(jobType: JobType, agentName: string): string[] | undefined {
    const keys = [...this.#all].map((w) => w.key!);
    if (!keys.some((k) => k.jobType === jobType)) return agentName === '' ? [] : undefined;
    if (agentName !== '' && !keys.some((k) => k.agentName === agentName)) return undefined;
    return [...new Set(keys.map((k) => k.namespace))].sort();
  }

  /** The worker running a job, if any. */
  findRunning(jobId: string): WorkerSession | undefined {
    for (const w of this.#all) if (w.jobs.isRunning(jobId)) return w;
    return undefined;
  }
}
