import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { JobTypeName } from '../mock-server/trace/events.ts';
import { freeTcpPort } from '../targets/free-port.ts';
import { REPO_ROOT } from '../targets/livekit-server-binary-path.ts';
import { givenOptions, launchAgentWorker, resolveAgentFile, type RuntimeWorkerOptions } from './agent-launch.ts';
import { WorkerLaunchError } from './errors.ts';
import { PYTHON_WORKER_TYPE } from './job-type.ts';
import type { StartedWorker } from './started-worker.ts';

export const PYTHON_RUNNER = fileURLToPath(new URL('./python/lab_runner.py', import.meta.url));
export const PYTHON_SCRIPTED_AGENT = fileURLToPath(new URL('./scripted/python_scripted_agent.py', import.meta.url));

/** The project venv's interpreter (created by `npm run setup:python`); LAB_VENV overrides the venv directory. */
export function venvPython(): string {
  const venv = process.env.LAB_VENV ?? `${REPO_ROOT}/.venv`;
  return `${venv}/bin/python`;
}

export interface PythonWorkerOptions extends RuntimeWorkerOptions {
  /** A user's agent file that calls `cli.run_app(server)` under `if __name__ == "__main__"`. Exclusive with `script`. */
  agentFile?: string;
  /** JT_ROOM or JT_PUBLISHER: Python's ServerType has no PARTICIPANT. */
  jobType?: JobTypeName;
  /** Idle job processes; Python accepts 0 (unlike Node in production). Default 0: each is a forkserver child of ~100 MB. */
  numIdleProcesses?: number;
  drainTimeoutSec?: number;
  shutdownProcessTimeoutSec?: number;
  python?: string;
}

/**
 * Starts `livekit-agents` (1.8.x, from the project venv) as a production worker (`start`) through lab_runner.py,
 * which sets host 127.0.0.1 and a free health port per worker (production binds 8081 by default, and only
 * production drains on SIGTERM), plus the agent name and worker type.
 */
export async function launchPythonWorker(opts: PythonWorkerOptions): Promise<StartedWorker> {
  const agentFile = resolveAgentFile(opts, PYTHON_SCRIPTED_AGENT);
  const python = opts.python ?? venvPython();
  if (!existsSync(python)) throw new WorkerLaunchError(`${python} not found: run \`npm run setup:python\` first`);
  const agentName = opts.agentName ?? '';
  const jobType = opts.jobType ?? 'JT_ROOM';
  const workerType = PYTHON_WORKER_TYPE[jobType];
  if (!workerType) throw new WorkerLaunchError(`the Python runtime cannot register as ${jobType}`);
  const options = {
    host: '127.0.0.1',
    port: await freeTcpPort('127.0.0.1'),
    agent_name: agentName,
    worker_type: workerType,
    num_idle_processes: opts.numIdleProcesses ?? 0,
    ...givenOptions({ load_threshold: opts.loadThreshold, drain_timeout: opts.drainTimeoutSec, shutdown_process_timeout: opts.shutdownProcessTimeoutSec }),
  };
  return launchAgentWorker(opts, {
    runtime: 'python',
    command: python,
    args: [PYTHON_RUNNER, agentFile],
    env: { ...opts.env, LAB_WORKER_OPTIONS: JSON.stringify(options), PYTHONUNBUFFERED: '1' },
    agentName,
    jobType,
  });
}
