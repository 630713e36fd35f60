/**
 * Signals to a whole process group (a child spawned `detached` leads its own group): a worker's job children
 * and a server's helpers go with their leader. Used by the targets, the agent runtime and the benchmarks.
 */

/** Signals a process group; a group that is already gone is not an error. */
export function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** Best effort, for clean-up paths that must never throw: false when the group could not be signalled. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** True while any process of the group exists (the leader may be gone while orphans remain). */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}
