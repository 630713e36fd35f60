import { WorkerStatus } from '@livekit/protocol';
import { jobTypeName } from './job-types.ts';
import type { WorkerKey } from './worker-key.ts';
import type { WorkerSession } from './worker-session.ts';

/**
 * The explanations the real server never gives. Each names what the job needed and what was registered,
 * so a type or name mismatch is visible at a glance.
 */
export function describeKey(k: WorkerKey): string {
  let s = `"${k.agentName}" as ${jobTypeName(k.jobType)}`;
  if (k.namespace) s += ` in namespace "${k.namespace}"`;
  if (k.deployment) s += ` deployment "${k.deployment}"`;
  return s;
}

export function describeRegistered(workers: readonly WorkerSession[]): string {
  if (workers.length === 0) return 'registered: none';
  const counts = new Map<string, number>();
  for (const w of workers) counts.set(describeKey(w.key!), (counts.get(describeKey(w.key!)) ?? 0) + 1);
  return `registered: ${[...counts].map(([d, n]) => (n > 1 ? `${d} (${n} workers)` : d)).join(', ')}`;
}

export function noMatchingWorker(key: WorkerKey, registered: readonly WorkerSession[]): string {
  let need = `no worker for agent "${key.agentName}" with type ${jobTypeName(key.jobType)}`;
  if (key.namespace) need += ` in namespace "${key.namespace}"`;
  if (key.deployment) need += ` deployment "${key.deployment}"`;
  return `${need}; ${describeRegistered(registered)}`;
}

export function noCapacity(key: WorkerKey, workers: readonly WorkerSession[], targetLoad: number): string {
  const states = workers.map((w) => (w.status === WorkerStatus.WS_FULL ? 'FULL' : `load ${w.load.toFixed(2)}`));
  return (
    `every worker for ${describeKey(key)} is FULL or at/above the target load ${targetLoad} ` +
    `(${states.join(', ')}); livekit-server drops the job ("no servers available")`
  );
}

export function allRejected(attempted: number): string {
  return `all ${attempted} eligible worker${attempted === 1 ? '' : 's'} answered available: false; the server gives up ("no worker available to handle job")`;
}

export function noWeight(): string {
  return 'every untried available worker reports load >= 1.0 ("no workers with sufficient capacity")';
}

export function answerTimedOut(workerId: string, waitedMs: number): string {
  return `worker ${workerId} did not answer the AvailabilityRequest within ${waitedMs} ms (the job request deadline); not retried`;
}
