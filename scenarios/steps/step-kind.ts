import type { TraceEvent } from '../../mock-server/trace/events.ts';
import type { LiveKitTarget } from '../../targets/livekit-target.ts';
import type { ServerApi } from '../engine/server-api.ts';
import type { Names } from '../expect/expect-kind.ts';
import type { ParticipantDriver } from '../participants/participant-driver.ts';
import type { Section } from '../schema/field-specs.ts';
import type { ScenarioWorker } from '../workers/scenario-worker.ts';

export type Path = (string | number)[];

/** What a step's own checks see while a file is validated: the names earlier steps made, and where to report. */
export interface StepChecks {
  readonly workers: Set<string>;
  readonly dispatches: Set<string>;
  /** The scenario's `runtimes:` matrix (empty: no matrix). */
  readonly runtimes: readonly string[];
  issue(path: Path, message: string): void;
  /** `body[field]`, when given, must name a worker an earlier step started. */
  workerRef(body: Record<string, unknown>, field: string, at: Path): void;
}

/** What a running step can use: the target, the server API, the participants, and the scenario's names. */
export interface StepEnv {
  readonly target: LiveKitTarget;
  readonly api: ServerApi;
  readonly participants: ParticipantDriver;
  /** Directory of the scenario file, for relative agent files. */
  readonly baseDir: string;
  readonly expectTimeoutMs: number;
  events(): TraceEvent[];
  readonly names: Names;
  /** The started worker with this alias; a ScenarioStepError when there is none. */
  worker(alias: string): ScenarioWorker;
  addWorker(alias: string, w: ScenarioWorker): void;
  /** Remembers a dispatch's scenario id (`dispatch: { id }`) for later steps. */
  nameDispatch(alias: string, dispatchId: string): void;
}

/**
 * One scenario step kind, `{ <name>: body }`: its fields (for the validator and its messages), its own checks,
 * what it needs beyond a server, and how it runs. Registered in steps/registry.ts, as toxiproxy registers toxics.
 */
export interface StepKind<K extends string = string, B = never> {
  readonly name: K;
  /**
   * The body's fields. 'empty': `true` or `{}`; 'number-or-ms': N or {ms: N}. A function when they depend on the
   * body; it returns undefined after reporting why no field set applies.
   */
  readonly fields: Section | 'empty' | 'number-or-ms' | ((body: Record<string, unknown>, at: Path, v: StepChecks) => Section | undefined);
  /** Rules beyond the fields (references to earlier steps, fields that go together); runs after the field check. */
  check?(body: Record<string, unknown>, at: Path, v: StepChecks): void;
  /** What it needs beyond a server (requirements.ts: node-runtime, lab-control, media, ...). */
  needs?(body: B): string[];
  run(body: B, env: StepEnv): Promise<void>;
}

/** Types a step kind; `B` is the body a scenario (YAML or TypeScript) gives it. */
export const defineStep = <K extends string, B>(kind: StepKind<K, B>): StepKind<K, B> => kind;

/** The step of a `worker` field: every worker action names the worker alias it acts on. */
export const checkWorkerField = (body: Record<string, unknown>, at: Path, v: StepChecks): void => v.workerRef(body, 'worker', at);
