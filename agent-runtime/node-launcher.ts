import { fileURLToPath } from 'node:url';
import { freeTcpPort } from '../targets/free-port.ts';
import { givenOptions, launchAgentWorker, resolveAgentFile, type RuntimeWorkerOptions } from './agent-launch.ts';
import { JOB_TYPE_NUMBER } from './job-type.ts';
import type { StartedWorker } from './started-worker.ts';

export const NODE_RUNNER = fileURLToPath(new URL('./node/node-runner.mjs', import.meta.url));
export const NODE_SCRIPTED_AGENT = fileURLToPath(new URL('./scripted/node-scripted-agent.mjs', import.meta.url));

export interface NodeWorkerOptions extends RuntimeWorkerOptions {
  /** A user's agent file whose default export is `defineAgent({...})`. Exclusive with `script`. */
  agentFile?: string;
  /**
   * Idle prewarmed job processes. Production treats 0 as "use the default" (min(cpus,4), `||` in ServerOptions),
   * so the lab defaults to 1: every idle process costs ~150 MB, the inference process another ~330 MB.
   */
  numIdleProcesses?: number;
  drainTimeoutMs?: number;
  shutdownProcessTimeoutMs?: number;
  /** Extra ServerOptions fields that are plain JSON. */
  serverOptions?: Record<string, unknown>;
}

/**
 * Starts `@livekit/agents` 1.9.0 as a child process in production mode (`start`).
 *
 * Why production with a per-worker free port rather than dev mode: only production drains on SIGTERM
 * (dev closes at once) and keeps an idle process pool, which is what users deploy and what the seeds describe.
 * Like a user's `cli.runApp(new ServerOptions({...}))`, the options are built before `start` sets production,
 * so agents-js 1.9.0 keeps the dev loadThreshold (Infinity) unless one is given: the lab does not hide that
 * (scenarios/runtimes/28-load-and-availability.yaml shows it). Production binds the health server on 8081 by default and a
 * second worker would crash with EADDRINUSE, so each worker gets its own free port, bound to 127.0.0.1.
 */
export async function launchNodeWorker(opts: NodeWorkerOptions): Promise<StartedWorker> {
  const agentFile = resolveAgentFile(opts, NODE_SCRIPTED_AGENT);
  const agentName = opts.agentName ?? '';
  const jobType = opts.jobType ?? 'JT_ROOM';
  const port = await freeTcpPort('127.0.0.1');
  const serverOptions = {
    ...opts.serverOptions,
    agentName,
    serverType: JOB_TYPE_NUMBER[jobType],
    host: '127.0.0.1',
    port,
    numIdleProcesses: opts.numIdleProcesses ?? 1,
    ...givenOptions({ loadThreshold: opts.loadThreshold, drainTimeout: opts.drainTimeoutMs, shutdownProcessTimeout: opts.shutdownProcessTimeoutMs }),
  };
  return launchAgentWorker(opts, {
    runtime: 'node',
    command: process.execPath,
    args: [NODE_RUNNER, 'start'],
    env: {
      ...opts.env,
      LAB_AGENT_FILE: agentFile,
      LAB_WORKER_OPTIONS: JSON.stringify(serverOptions),
      // JSON lines keep the captured logs parseable.
      LOG_LEVEL: opts.env?.LOG_LEVEL ?? 'info',
    },
    agentName,
    jobType,
  });
}
