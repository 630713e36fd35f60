/**
 * The scenario model: what a YAML file parses into and what the TypeScript API builds. One engine runs both.
 */
import type { TimingSettings } from '../mock-server/config/timing.ts';
import type { JobOutcome, JobTypeName } from '../mock-server/trace/events.ts';
import type { KindStep } from './steps/registry.ts';

// Each step's and expectation's type sits beside its schema and its code; these are re-exported for the API.
export type { Count } from './expect/count.ts';
export type { Expectation } from './expect/kinds/registry.ts';
export type { JobFilter } from './expect/kinds/jobs.ts';
export type { FaultStep } from './steps/fault.ts';

export type Answer = 'accept' | 'reject' | 'terminate' | 'never' | { late: number } | { reject: 'late'; ms: number };

export interface ProtocolWorkerSpec {
  id: string;
  kind: 'protocol';
  agentName?: string;
  jobType?: JobTypeName;
  namespace?: string;
  deployment?: string;
  load?: number;
  status?: 'available' | 'full';
  /** How to answer each AvailabilityRequest; a list is used in order and its last entry repeats. */
  answer?: Answer | Answer[];
  /** After an assignment, join the room as the agent participant (needed for terminations on leave/close). */
  joinRoom?: boolean;
  /** Report JS_SUCCESS this long after the assignment (a job that ends by itself). */
  completeAfterMs?: number;
}

/** The official agent runtimes a scenario can run as a matrix (`runtimes:`). */
export type RuntimeName = 'node' | 'python';

export interface RuntimeWorkerSpec {
  id: string;
  /** `runtime`: the runtime of the matrix variant being run (only in scenarios with `runtimes:`). */
  kind: 'node' | 'python' | 'command' | 'runtime';
  agentName?: string;
  jobType?: JobTypeName;
  /** The scripted agent's JSON script (agent-runtime/scripted/script-schema.ts). */
  script?: Record<string, unknown>;
  /** A user's agent file, relative to the scenario file. */
  agentFile?: string;
  /** kind command: argv; LIVEKIT_URL/API_KEY/API_SECRET are set. */
  command?: string[];
  drainTimeoutMs?: number;
  shutdownProcessTimeoutMs?: number;
  loadThreshold?: number;
  /**
   * Prewarmed idle job processes (lab defaults: Node 1, Python 0). Node in production treats 0 as its default
   * min(cpus, 4). Python counts a job being launched as threshold/idle of load, so with 0 or 1 it reports
   * WS_FULL while any job starts.
   */
  idleProcesses?: number;
}

export type WorkerSpec = ProtocolWorkerSpec | RuntimeWorkerSpec;

export interface AgentDispatchSpec {
  agentName: string;
  metadata?: string;
}

/** A participant joining: the scenario's `join` step, and what participant drivers receive. */
export interface JoinSpec {
  room: string;
  identity: string;
  name?: string;
  metadata?: string;
  attributes?: Record<string, string>;
  /** Token `roomConfig.agents`: only used if this join creates the room. */
  agents?: AgentDispatchSpec[];
  kind?: 'standard' | 'agent' | 'sip' | 'egress' | 'ingress';
  /** A real WebRTC client that subscribes to everything and reports what it decodes (`received` expectations). */
  listen?: boolean;
}

/** A scenario step: `{ <kind>: body }`, one per registered kind (steps/registry.ts), or a runtime matrix's branches. */
export type Step =
  | KindStep
  /** Steps for one runtime of the matrix only: where the runtimes differ, the scenario says so instead of hiding it. */
  | { byRuntime: Partial<Record<RuntimeName, Step[]>> };

/** What happened to a job (`offered`, `assigned`; `open`: assigned and not ended yet) or how it ended. */
export type JobState = 'offered' | 'assigned' | 'open' | JobOutcome;

export interface Scenario {
  name: string;
  description: string;
  /** The real-world report this reproduces (an issue link or a docs reference). */
  reproduces: string;
  requires?: string[];
  /**
   * Run the scenario once per listed runtime (a matrix): `kind: runtime` workers take that runtime, and
   * `byRuntime` steps hold what differs. expandRuntimes() turns the file into one scenario per runtime.
   */
  runtimes?: RuntimeName[];
  /** The runtime of this variant (set by expandRuntimes; never written in a file). */
  runtime?: RuntimeName;
  /** Overrides of the mock's timing (on top of the run's preset). */
  timing?: Partial<TimingSettings>;
  /** Seed for the mock's worker selection and ids; default 1 so runs repeat. */
  seed?: number;
  /** Default `within` for expectations, ms. */
  timeout?: number;
  steps: Step[];
  /** Where it came from (for messages and relative agent files). */
  file?: string;
  /** 1-based line of each step in `file`, when parsed from YAML. */
  stepLines?: number[];
  /** Lines of the steps inside `byRuntime` branches: key `<step index>.<runtime>` → one line per branch step. */
  branchLines?: Record<string, number[]>;
}

export const DEFAULT_EXPECT_TIMEOUT_MS = 4_000;
export const DEFAULT_HOLD_MS = 800;
