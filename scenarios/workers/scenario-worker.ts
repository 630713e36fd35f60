import type { LiveKitTarget } from '../../targets/livekit-target.ts';
import type { ParticipantDriver } from '../participants/participant-driver.ts';

/** A worker a scenario started, whatever runs it (the built-in protocol worker or a real agent runtime). */
export interface ScenarioWorker {
  readonly alias: string;
  /** Every worker id this alias has registered under (a restart adds one). */
  readonly workerIds: string[];
  /** Connects and resolves once registered. */
  start(): Promise<void>;
  /** Abrupt end: the socket drops (protocol) or the process is SIGKILLed (runtimes). */
  kill(): Promise<void>;
  restart(): Promise<void>;
  /** What a deploy does: protocol → WS_FULL/load 1; runtimes → SIGTERM (they drain, then exit). */
  drain(): Promise<void>;
  setLoad(load: number, status?: 'available' | 'full'): Promise<void>;
  dispose(): Promise<void>;
}

export interface WorkerEnv {
  target: LiveKitTarget;
  participants: ParticipantDriver;
  /** Directory of the scenario file, for relative agent files. */
  baseDir: string;
  registerTimeoutMs: number;
}

/** What every scenario worker holds: its spec (whose id is the alias), the environment, the ids it registered under. */
export abstract class WorkerBase<Spec extends { id: string }> {
  readonly workerIds: string[] = [];

  constructor(
    readonly spec: Spec,
    protected readonly env: WorkerEnv,
  ) {}

  get alias(): string {
    return this.spec.id;
  }
}
