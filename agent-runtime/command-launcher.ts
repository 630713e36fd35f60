import { spawn, type ChildProcess } from 'node:child_process';
import type { JobTypeName } from '../mock-server/trace/events.ts';
import type { LiveKitTarget } from '../targets/livekit-target.ts';
import { WorkerLaunchError } from './errors.ts';
import { traceMark } from './registration-watch.ts';
import { StartedWorker, type WorkerRuntime } from './started-worker.ts';

export interface CommandWorkerOptions {
  target: LiveKitTarget;
  command: string;
  args?: string[];
  cwd?: string;
  /** Extra environment; LIVEKIT_URL/LIVEKIT_API_KEY/LIVEKIT_API_SECRET are always set from the target. */
  env?: Record<string, string>;
  /** What the worker will register as; readiness claims a matching registration. */
  agentName?: string;
  jobType?: JobTypeName;
  traceLogs?: boolean;
  /** Internal: the launcher kind recorded on the worker. */
  runtime?: WorkerRuntime;
  onDispose?: () => Promise<void>;
}

/** The standard LIVEKIT_* variables for a target; workers must use the worker URL (a tap or fault proxy) when there is one. */
export function livekitEnv(target: LiveKitTarget): Record<string, string> {
  return {
    LIVEKIT_URL: target.workerWsUrl ?? target.wsUrl,
    LIVEKIT_API_KEY: target.apiKey,
    LIVEKIT_API_SECRET: target.apiSecret,
  };
}

/**
 * Spawns the worker as the leader of its own process group (detached), so the whole tree, job children
 * and the inference process included, can be signalled at once: job children ignore SIGTERM and
 * would outlive a killed parent for 15-70 s otherwise.
 */
function spawnGroup(command: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): ChildProcess {
  const child = spawn(command, args, { env, cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new WorkerLaunchError(`could not spawn ${command}`);
  return child;
}

/**
 * Starts a user's own worker command (any language or runtime) against the target. The command must
 * register on its own; the lab only provides the LIVEKIT_* variables and observes the trace.
 */
export function launchCommandWorker(opts: CommandWorkerOptions): StartedWorker {
  const afterSeq = traceMark(opts.target.trace);
  // LIVEKIT_AGENT_NAME_OVERRIDE / LIVEKIT_WORKER_TOKEN from the lab's own environment would change what registers.
  const { LIVEKIT_AGENT_NAME_OVERRIDE: _o, LIVEKIT_WORKER_TOKEN: _t, ...inherited } = process.env;
  const child = spawnGroup(opts.command, opts.args ?? [], { ...inherited, ...livekitEnv(opts.target), ...opts.env }, opts.cwd);
  return new StartedWorker(child, {
    runtime: opts.runtime ?? 'command',
    target: opts.target,
    agentName: opts.agentName ?? '',
    jobType: opts.jobType ?? 'JT_ROOM',
    afterSeq,
    traceLogs: opts.traceLogs,
    onDispose: opts.onDispose,
  });
}
