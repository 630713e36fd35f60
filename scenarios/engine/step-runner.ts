import type { TraceEvent } from '../../mock-server/trace/events.ts';
import type { LiveKitTarget } from '../../targets/livekit-target.ts';
import { ScenarioStepError } from '../errors.ts';
import type { Names } from '../expect/expect-kind.ts';
import type { Step } from '../model.ts';
import type { ParticipantDriver } from '../participants/participant-driver.ts';
import { stepKind, stepParts } from '../steps/registry.ts';
import type { StepEnv } from '../steps/step-kind.ts';
import type { ScenarioWorker } from '../workers/scenario-worker.ts';
import type { ServerApi } from './server-api.ts';

export interface StepRunnerDeps {
  target: LiveKitTarget;
  api: ServerApi;
  participants: ParticipantDriver;
  baseDir: string;
  expectTimeoutMs: number;
  events: () => TraceEvent[];
}

/** Carries out steps one at a time, each by its registered kind, and keeps the names a scenario uses (worker and dispatch aliases). */
export class StepRunner {
  readonly #workers = new Map<string, ScenarioWorker>();
  readonly #dispatches = new Map<string, string>();
  readonly names: Names;
  readonly #env: StepEnv;

  constructor(deps: StepRunnerDeps) {
    this.names = {
      workerIds: (alias) => this.#workers.get(alias)?.workerIds ?? [],
      aliasOf: (id) => (id === undefined ? '' : (this.workerAliases()[id] ?? id)),
      dispatchId: (ref) => this.#dispatches.get(ref) ?? ref,
    };
    this.#env = {
      ...deps,
      names: this.names,
      worker: (alias) => {
        const w = this.#workers.get(alias);
        if (!w) throw new ScenarioStepError(`no worker "${alias}"`);
        return w;
      },
      addWorker: (alias, w) => void this.#workers.set(alias, w),
      nameDispatch: (alias, id) => void this.#dispatches.set(alias, id),
    };
  }

  workerAliases(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const w of this.#workers.values()) for (const id of w.workerIds) out[id] = w.alias;
    return out;
  }

  async run(step: Step): Promise<void> {
    const [name, body] = stepParts(step);
    const kind = stepKind(name);
    if (!kind) throw new ScenarioStepError(`unknown step ${name}`);
    await kind.run(body, this.#env);
  }

  async dispose(): Promise<void> {
    await Promise.allSettled([...this.#workers.values()].map((w) => w.dispose()));
  }
}
