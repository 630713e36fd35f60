import { WorkerStatus } from '@livekit/protocol';
import type { Random } from '../core/random.ts';

/** The part of a worker that selection looks at. */
export interface SelectableWorker {
  readonly workerId: string;
  readonly status: WorkerStatus;
  readonly load: number;
}

/**
 * psrpc claim affinity for a node (pkg/service/agentservice.go JobRequestAffinity, v1.13.5; target_load 0.7,
 * pkg/agent/config.go): Σ over available workers of max(0, targetLoad − load).
 * When it is 0 (every worker FULL or at/above the target load) no node claims the job and it is dropped.
 */
export function claimAffinity(workers: Iterable<SelectableWorker>, targetLoad: number): number {
  // float32 arithmetic as in Go (target_load and the proto's load are float32): a worker reporting
  // load 0.7 has affinity exactly 0, not the 1e-8 that float64 0.7 - float32(0.7) would leave.
  const target = Math.fround(targetLoad);
  let sum = 0;
  for (const w of workers) {
    if (w.status === WorkerStatus.WS_AVAILABLE) sum = Math.fround(sum + Math.max(0, Math.fround(target - Math.fround(w.load))));
  }
  return sum;
}

export type Selection<W> = { worker: W } | { none: 'no_untried_worker' | 'no_capacity' };

/**
 * selectWorkerWeightedByLoad (pkg/service/agentservice.go, v1.13.5): among available workers not yet tried for this job, draw one with weight
 * max(0, 1 − load). The weight uses 1.0, not the target load, as the real server does.
 */
export function selectWeightedByLoad<W extends SelectableWorker>(
  workers: Iterable<W>,
  attempted: ReadonlySet<string>,
  random: Random,
): Selection<W> {
  const candidates: { worker: W; weight: number }[] = [];
  let total = 0;
  for (const worker of workers) {
    if (worker.status !== WorkerStatus.WS_AVAILABLE || attempted.has(worker.workerId)) continue;
    const weight = Math.max(0, 1 - worker.load);
    candidates.push({ worker, weight });
    total += weight;
  }
  if (candidates.length === 0) return { none: 'no_untried_worker' };
  if (total <= 0) return { none: 'no_capacity' };
  let r = random.next() * total;
  for (const c of candidates) {
    if (c.weight <= 0) continue;
    r -= c.weight;
    if (r < 0) return { worker: c.worker };
  }
  return { worker: candidates.filter((c) => c.weight > 0).at(-1)!.worker };
}
