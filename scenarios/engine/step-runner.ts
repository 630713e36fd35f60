import { sleep, waitUntilSatisfied } from '../../agent-runtime/wait-for.ts';
import type { TraceEvent } from '../../mock-server/trace/events.ts';
import type { LiveKitTarget } from '../../targets/livekit-target.ts';
import { ScenarioStepError } from '../errors.ts';
import { awaitExpectation } from '../expect/await-expectation.ts';
import type { Names } from '../expect/evaluate.ts';
import { labRequest } from '../lab-control.ts';
import type { FaultStep, Step } from '../model.ts';
import type { ParticipantDriver } from '../participants/participant-driver.ts';
import { ProtocolWorker } from '../workers/protocol-worker.ts';
import { RuntimeWorker } from '../workers/runtime-worker.ts';
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

const PROTOCOL_REGISTER_TIMEOUT_MS = 5_000;
/** A room records jobs at the end of a CheckEnabled round, 5 s after the trigger at most: leave room for that. */
const LIST_DISPATCH_TIMEOUT_MS = 8_000;

/** Carries out steps one at a time and keeps the names a scenario uses (worker and dispatch aliases). */
export class StepRunner {
  readonly #workers = new Map<string, ScenarioWorker>();
  readonly #dispatches = new Map<string, string>();
  readonly names: Names;

  constructor(private readonly d: StepRunnerDeps) {
    this.names = {
      workerIds: (alias) => this.#workers.get(alias)?.workerIds ?? [],
      aliasOf: (id) => (id === undefined ? '' : (this.workerAliases()[id] ?? id)),
      dispatchId: (ref) => this.#dispatches.get(ref) ?? ref,
    };
  }

  workerAliases(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const w of this.#workers.values()) for (const id of w.workerIds) out[id] = w.alias;
    return out;
  }

  async run(step: Step): Promise<void> {
    const d = this.d;
    if ('worker' in step) {
      const env = { target: d.target, participants: d.participants, baseDir: d.baseDir, registerTimeoutMs: PROTOCOL_REGISTER_TIMEOUT_MS };
      const spec = step.worker;
      const w = spec.kind === undefined || spec.kind === 'protocol' ? new ProtocolWorker({ ...spec, kind: 'protocol' }, env) : new RuntimeWorker(spec, env);
      this.#workers.set(spec.id, w);
      return w.start();
    }
    if ('room' in step) return void (await d.api.createRoom(step.room));
    if ('join' in step) return d.participants.join(step.join);
    if ('publish' in step) {
      if (!d.participants.canPublish) throw new ScenarioStepError(`the ${d.participants.name} participant driver cannot publish`);
      return d.participants.publish(step.publish.room, step.publish.identity, step.publish.track ?? 'audio');
    }
    if ('leave' in step) return d.participants.leave(step.leave.room, step.leave.identity);
    if ('removeParticipant' in step) return d.api.removeParticipant(step.removeParticipant.room, step.removeParticipant.identity);
    if ('dispatch' in step) {
      const id = await d.api.createDispatch(step.dispatch.room, step.dispatch.agentName, step.dispatch.metadata);
      if (step.dispatch.id) this.#dispatches.set(step.dispatch.id, id);
      return;
    }
    if ('deleteDispatch' in step) return d.api.deleteDispatch(step.deleteDispatch.room, this.names.dispatchId(step.deleteDispatch.dispatch));
    if ('listDispatch' in step) return this.#awaitRecordedJobs(step.listDispatch);
    if ('deleteRoom' in step) return d.api.deleteRoom(step.deleteRoom.room);
    if ('kill' in step) return this.#worker(step.kill.worker).kill();
    if ('restart' in step) return this.#worker(step.restart.worker).restart();
    if ('drain' in step) return this.#worker(step.drain.worker).drain();
    if ('setLoad' in step) return this.#worker(step.setLoad.worker).setLoad(step.setLoad.load, step.setLoad.status);
    if ('fault' in step) return this.#fault(step.fault);
    if ('clearFaults' in step) return void (await labRequest(d.target, 'DELETE', '/faults'));
    if ('wait' in step) return sleep(typeof step.wait === 'number' ? step.wait : step.wait.ms);
    if ('expect' in step) return void (await awaitExpectation(step.expect, d.events, this.names, d.expectTimeoutMs));
    throw new ScenarioStepError(`unknown step ${Object.keys(step)[0]}`);
  }

  async dispose(): Promise<void> {
    await Promise.allSettled([...this.#workers.values()].map((w) => w.dispose()));
  }

  async #awaitRecordedJobs(s: { room: string; jobs: number; within?: number }): Promise<void> {
    const timeoutMs = s.within ?? Math.max(this.d.expectTimeoutMs, LIST_DISPATCH_TIMEOUT_MS);
    await waitUntilSatisfied(
      async () => {
        const n = (await this.d.api.listDispatch(s.room)).reduce((sum, ad) => sum + (ad.state?.jobs.length ?? 0), 0);
        return n >= s.jobs ? '' : `ListDispatch ${s.room} shows ${n} job(s), waiting for ${s.jobs}`;
      },
      { timeoutMs, intervalMs: 100 },
    ).catch((e) => {
      throw e instanceof ScenarioStepError ? e : new ScenarioStepError((e as Error).message);
    });
  }

  #worker(alias: string): ScenarioWorker {
    const w = this.#workers.get(alias);
    if (!w) throw new ScenarioStepError(`no worker "${alias}"`);
    return w;
  }

  async #fault(f: FaultStep): Promise<void> {
    const workerId = f.worker ? this.#worker(f.worker).workerIds.at(-1) : undefined;
    if (f.worker && !workerId) throw new ScenarioStepError(`worker "${f.worker}" has not registered, so it cannot be a fault target`);
    const target = workerId || f.agentName !== undefined ? { workerId, agentName: f.agentName } : undefined;
    const name = f.name ?? `${f.type}-${f.worker ?? f.agentName ?? 'all'}`;
    const body =
      f.type === 'close'
        ? { name, type: 'close', abrupt: f.abrupt ?? true, target }
        : f.type === 'stall_availability'
          ? { name, type: f.type, target }
          : { name, type: f.type, direction: f.direction ?? 'both', ms: f.ms, messages: f.messages, target };
    await labRequest(this.d.target, 'POST', '/faults', body);
  }
}
