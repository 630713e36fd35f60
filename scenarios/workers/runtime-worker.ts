import { isAbsolute, resolve } from 'node:path';
import { ScenarioStepError } from '../errors.ts';
import type { RuntimeWorkerSpec } from '../model.ts';
import { WorkerBase, type ScenarioWorker } from './scenario-worker.ts';

type AgentRuntime = typeof import('../../agent-runtime/index.ts');
type StartedWorker = InstanceType<AgentRuntime['StartedWorker']>;

/** Loaded on first use so scenarios that only use protocol workers never need the agent runtime. */
export async function loadAgentRuntime(): Promise<AgentRuntime | undefined> {
  try {
    const mod = (await import('../../agent-runtime/index.ts')) as AgentRuntime;
    return typeof mod.launchNodeWorker === 'function' ? mod : undefined;
  } catch {
    return undefined;
  }
}

/** Agent startup is slow (the framework, prewarmed job processes), so registration gets its own, longer deadline. */
const RUNTIME_REGISTER_TIMEOUT_MS = 60_000;

/** A real worker process (official Node or Python agents, or the user's command) driven through agent-runtime/. */
export class RuntimeWorker extends WorkerBase<RuntimeWorkerSpec> implements ScenarioWorker {
  #worker?: StartedWorker;

  async start(): Promise<void> {
    const rt = await loadAgentRuntime();
    if (!rt) throw new ScenarioStepError(`worker ${this.alias}: the agent runtime (agent-runtime/) is not available`);
    const { spec, env } = this;
    if (spec.kind === 'runtime') throw new ScenarioStepError(`worker ${this.alias}: kind runtime is resolved per matrix variant (expandRuntimes); this scenario was not expanded`);
    const common = { target: env.target, agentName: spec.agentName ?? '', jobType: spec.jobType ?? 'JT_ROOM' } as const;
    const agentFile = spec.agentFile ? (isAbsolute(spec.agentFile) ? spec.agentFile : resolve(env.baseDir, spec.agentFile)) : undefined;
    const script = spec.script as Parameters<AgentRuntime['launchNodeWorker']>[0]['script'];
    try {
      if (spec.kind === 'node') {
        this.#worker = await rt.launchNodeWorker({
          ...common,
          agentFile,
          script,
          drainTimeoutMs: spec.drainTimeoutMs,
          shutdownProcessTimeoutMs: spec.shutdownProcessTimeoutMs,
          loadThreshold: spec.loadThreshold,
          numIdleProcesses: spec.idleProcesses,
        });
      } else if (spec.kind === 'python') {
        this.#worker = await rt.launchPythonWorker({
          ...common,
          agentFile,
          script,
          drainTimeoutSec: spec.drainTimeoutMs === undefined ? undefined : spec.drainTimeoutMs / 1000,
          shutdownProcessTimeoutSec: spec.shutdownProcessTimeoutMs === undefined ? undefined : spec.shutdownProcessTimeoutMs / 1000,
          loadThreshold: spec.loadThreshold,
          numIdleProcesses: spec.idleProcesses,
        });
      } else {
        const [command, ...args] = spec.command ?? [];
        this.#worker = rt.launchCommandWorker({ ...common, command: command!, args, cwd: env.baseDir });
      }
      const registered = await this.#worker.waitReady(RUNTIME_REGISTER_TIMEOUT_MS);
      this.workerIds.push(registered.workerId);
    } catch (e) {
      if (e instanceof ScenarioStepError) throw e;
      throw new ScenarioStepError(`worker ${this.alias} (${spec.kind}) did not start: ${(e as Error).message}`);
    }
  }

  async kill(): Promise<void> {
    await this.#worker?.kill();
  }

  async restart(): Promise<void> {
    await this.#worker?.dispose();
    await this.start();
  }

  /** SIGTERM: production workers report WS_FULL, let running jobs finish (up to drainTimeout), then exit. */
  async drain(): Promise<void> {
    this.#worker?.signal('SIGTERM');
  }

  async setLoad(): Promise<void> {
    throw new ScenarioStepError(`worker ${this.alias}: setLoad drives protocol workers only; a ${this.spec.kind} worker reports its own load (script.load)`);
  }

  async dispose(): Promise<void> {
    await this.#worker?.dispose();
  }
}
