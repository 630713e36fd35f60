import type { StartedWorker } from '../../../agent-runtime/started-worker.ts';

/** Tracks workers started by a test so afterEach can kill their process groups, whatever the test did. */
export class WorkerSet {
  #workers: StartedWorker[] = [];

  add<T extends StartedWorker>(worker: T): T {
    this.#workers.push(worker);
    return worker;
  }

  async disposeAll(): Promise<void> {
    const workers = this.#workers.splice(0);
    await Promise.all(workers.map((w) => w.dispose()));
  }

  /** The logs of every worker, for a failure message. */
  logs(): string {
    return this.#workers.map((w) => `--- ${w.describe()}\n${w.logTail(40)}`).join('\n');
  }
}
