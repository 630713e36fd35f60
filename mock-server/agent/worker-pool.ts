import { workerKeyString, type WorkerKey } from './worker-key.ts';
import type { RegisteredWorker } from './registered-worker.ts';

/** Registered workers by key (AgentHandler.namespaceWorkers), plus the node-wide lists used for routing. */
export class WorkerPool {
  readonly #byKey = new Map<string, RegisteredWorker[]>();
  readonly #all = new Set<RegisteredWorker>();

  /** Returns whether the worker's key is new (AgentHandler `created`: the node then announces it). */
  add(worker: RegisteredWorker): boolean {
    const k = workerKeyString(worker.key);
    const existing = this.#byKey.get(k) ?? [];
    this.#byKey.set(k, [...existing, worker]);
    this.#all.add(worker);
    return existing.length === 0;
  }

  remove(worker: RegisteredWorker): void {
    if (!this.#all.delete(worker)) return;
    const k = workerKeyString(worker.key);
    const rest = (this.#byKey.get(k) ?? []).filter((w) => w !== worker);
    if (rest.length) this.#byKey.set(k, rest);
    else this.#byKey.delete(k);
  }

  workersFor(key: WorkerKey): readonly RegisteredWorker[] {
    return this.#byKey.get(workerKeyString(key)) ?? [];
  }

  all(): RegisteredWorker[] {
    return [...this.#all];
  }

  get size(): number {
    return this.#all.size;
  }

  /** The keys of every registered worker (one per worker), for the namespace fan-out. */
  keys(): WorkerKey[] {
    return [...this.#all].map((w) => w.key);
  }

  /** The worker running a job, if any. */
  findRunning(jobId: string): RegisteredWorker | undefined {
    for (const w of this.#all) if (w.isRunning(jobId)) return w;
    return undefined;
  }
}
