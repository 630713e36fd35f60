import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { JobTypeName } from '../mock-server/trace/events.ts';
import type { LiveKitTarget } from '../targets/livekit-target.ts';
import { launchCommandWorker } from './command-launcher.ts';
import { WorkerLaunchError } from './errors.ts';
import { freePort } from './free-port.ts';
import { JOB_TYPE_NUMBER } from './job-type.ts';
import { resolveMarksEndpoint, type MarksMode } from './marks-endpoint.ts';
import { encodeScript, MARKS_TOKEN_ENV, MARKS_URL_ENV, SCRIPT_ENV, type AgentScript } from './scripted/script-schema.ts';
import type { StartedWorker } from './started-worker.ts';

export const NODE_RUNNER = fileURLToPath(new URL('./node/node-runner.mjs', import.meta.url));
export const NODE_SCRIPTED_AGENT = fileURLToPath(new URL('./scripted/node-scripted-agent.mjs', import.meta.url));

export interface NodeWorkerOptions {
  target: LiveKitTarget;
  /** A user's agent file whose default export is `defineAgent({...})`. Exclusive with `script`. */
  agentFile?: string;
  /** Run the scripted agent with this script instead of a user file. */
  script?: AgentScript;
  agentName?: string;
  jobType?: JobTypeName;
  /**
   * Idle prewarmed job processes. Production treats 0 as "use the default" (min(cpus,4), `||` in ServerOptions),
   * so the lab defaults to 1: every idle process costs ~150 MB, the inference process another ~330 MB.
   */
  numIdleProcesses?: number;
  loadThreshold?: number;
  drainTimeoutMs?: number;
  shutdownProcessTimeoutMs?: number;
  /** Extra ServerOptions fields that are plain JSON. */
  serverOptions?: Record<string, unknown>;
  env?: Record<string, string>;
  marks?: MarksMode;
  traceLogs?: boolean;
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
  if (!!opts.agentFile === !!opts.script) throw new WorkerLaunchError('give exactly one of agentFile or script');
  const agentFile = opts.agentFile ?? NODE_SCRIPTED_AGENT;
  if (!existsSync(agentFile)) throw new WorkerLaunchError(`agent file not found: ${agentFile}`);
  const agentName = opts.agentName ?? '';
  const jobType = opts.jobType ?? 'JT_ROOM';
  const port = await freePort();
  const serverOptions = {
    ...opts.serverOptions,
    agentName,
    serverType: JOB_TYPE_NUMBER[jobType],
    host: '127.0.0.1',
    port,
    numIdleProcesses: opts.numIdleProcesses ?? 1,
    ...(opts.loadThreshold !== undefined && { loadThreshold: opts.loadThreshold }),
    ...(opts.drainTimeoutMs !== undefined && { drainTimeout: opts.drainTimeoutMs }),
    ...(opts.shutdownProcessTimeoutMs !== undefined && { shutdownProcessTimeout: opts.shutdownProcessTimeoutMs }),
  };
  const marks = await resolveMarksEndpoint(opts.target, opts.marks);
  const env: Record<string, string> = {
    ...opts.env,
    LAB_AGENT_FILE: agentFile,
    LAB_WORKER_OPTIONS: JSON.stringify(serverOptions),
    [MARKS_URL_ENV]: marks.url,
    [MARKS_TOKEN_ENV]: marks.token,
    // JSON lines keep the captured logs parseable.
    LOG_LEVEL: opts.env?.LOG_LEVEL ?? 'info',
  };
  if (opts.script) env[SCRIPT_ENV] = encodeScript(opts.script);
  try {
    return launchCommandWorker({
      target: opts.target,
      command: process.execPath,
      args: [NODE_RUNNER, 'start'],
      env,
      agentName,
      jobType,
      runtime: 'node',
      traceLogs: opts.traceLogs,
      onDispose: () => marks.close(),
    });
  } catch (err) {
    await marks.close();
    throw err;
  }
}
