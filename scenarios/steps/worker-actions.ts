import { reqStr } from '../schema/field-specs.ts';
import type { ScenarioWorker } from '../workers/scenario-worker.ts';
import { checkWorkerField, defineStep } from './step-kind.ts';

/** A step that does one thing to a started worker; the three below differ only in what. */
const workerAction = <K extends string>(name: K, act: (w: ScenarioWorker) => Promise<void>) =>
  defineStep<K, { worker: string }>({ name, fields: { worker: reqStr }, check: checkWorkerField, run: (s, env) => act(env.worker(s.worker)) });

/** Abrupt end: the socket drops (protocol) or the process is SIGKILLed (runtimes). */
export const killStep = workerAction('kill', (w) => w.kill());
export const restartStep = workerAction('restart', (w) => w.restart());
/** What a deploy does: protocol → WS_FULL/load 1; runtimes → SIGTERM (they drain, then exit). */
export const drainStep = workerAction('drain', (w) => w.drain());
