import { WorkerStatus } from '@livekit/protocol';
import { jobTypeName } from '../agent/job-types.ts';
import type { WorkerKey } from '../agent/worker-key.ts';
import type { SelectableWorker } from './worker-selection.ts';

/**
 * Every reason text a job's end carries (`job.ended.reason`), in one place: the explanations the real
 * server never gives, each naming what the job needed and what was registered, so a type or name mismatch
 * is visible at a glance. The texts are compared byte for byte by tests, scenarios and the differential
 * (targets/tap-recorder.ts writes the same ones for the real server): change them only on purpose.
 */

/** A worker as the reasons describe it: its key and, for the load rule, its status and load. */
export interface DescribedWorker extends SelectableWorker {
  readonly key: WorkerKey;
}

const keySuffix = (k: WorkerKey): string =>
  (k.namespace ? ` in namespace "${k.namespace}"` : '') + (k.deployment ? ` deployment "${k.deployment}"` : '');

export function describeKey(k: WorkerKey): string {
  return `"${k.agentName}" as ${jobTypeName(k.jobType)}${keySuffix(k)}`;
}

function describeRegistered(workers: readonly DescribedWorker[]): string {
  if (workers.length === 0) return 'registered: none';
  const counts = new Map<string, number>();
  for (const w of workers) counts.set(describeKey(w.key), (counts.get(describeKey(w.key)) ?? 0) + 1);
  return `registered: ${[...counts].map(([d, n]) => (n > 1 ? `${d} (${n} workers)` : d)).join(', ')}`;
}

/** No worker of the job's exact key (client.go getDispatcher / an unserved psrpc topic). */
export function noMatchingWorker(key: WorkerKey, registered: readonly DescribedWorker[]): string {
  return `no worker for agent "${key.agentName}" with type ${jobTypeName(key.jobType)}${keySuffix(key)}; ${describeRegistered(registered)}`;
}

/** Claim affinity 0: every worker of the key FULL or at/above the target load (agentservice.go JobRequestAffinity). */
export function noCapacity(key: WorkerKey, workers: readonly SelectableWorker[], targetLoad: number): string {
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

/** The lab's own guard: the same job offered twice to one worker at once. */
export function duplicateOffer(jobId: string, workerId: string): string {
  return `job ${jobId} already has an availability request pending on ${workerId}`;
}

/** AvailabilityResponse{terminate: true} (worker.go AssignJob): the job ends JS_SUCCESS, and the room keeps it. */
export const DECLINED = 'worker answered terminate: true; the job ends JS_SUCCESS without an assignment';

/** Worker.TerminateJob (worker.go): the two rpc.JobTerminateReason texts. */
export const TERMINATION_REQUESTED = 'dispatch deleted (termination requested)';
export const AGENT_LEFT_ROOM = 'agent worker left the room';

/** deregisterWorker (agentservice.go): running jobs are forgotten. */
export const ORPHANED = 'worker disconnected while the job ran; livekit-server forgets the job (no reassignment, no notice to the room)';

/** UpdateJobStatus with JS_SUCCESS / JS_FAILED (worker.go UpdateJobStatus). */
export function workerReported(status: string, error: string): string {
  return error ? `worker reported ${status}: ${error}` : `worker reported ${status}`;
}

/** A SimulateJobRequest job that was not accepted; `kind` is the offer's outcome. */
export function simulatedNotAccepted(kind: string): string {
  return `simulated job: ${kind}`;
}

/** The mock stopped with the job still open (a deliberate difference: the lab records it). */
export const ABANDONED = 'the server stopped while the job was open';
