import { spawn, type ChildProcess } from 'node:child_process';
import { WorkerLaunchError } from './errors.ts';

export interface SpawnGroupOptions {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
}

/**
 * Spawns the worker as the leader of its own process group (detached), so the whole tree, job children
 * and the inference process included, can be signalled at once: job children ignore SIGTERM and
 * would outlive a killed parent for 15-70 s otherwise.
 */
export function spawnGroup({ command, args, env, cwd }: SpawnGroupOptions): ChildProcess {
  const child = spawn(command, args, { env, cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new WorkerLaunchError(`could not spawn ${command}`);
  return child;
}

/** Signals the whole group; ignores a group that is already gone. */
export function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** True while any process of the group is alive (the leader may be gone while orphans remain). */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}
