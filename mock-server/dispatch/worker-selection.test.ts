import { WorkerStatus } from '@livekit/protocol';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../core/random.ts';
import { claimAffinity, selectWeightedByLoad, type SelectableWorker } from './worker-selection.ts';

const w = (workerId: string, load: number, status = WorkerStatus.WS_AVAILABLE): SelectableWorker => ({ workerId, load, status });

describe('claimAffinity (psrpc claim: Σ max(0, target − load) over available workers)', () => {
  it('is 0 when every available worker is at or above the target load, or FULL', () => {
    expect(claimAffinity([w('a', 0.7), w('b', 0.9)], 0.7)).toBe(0);
    expect(claimAffinity([w('a', 0, WorkerStatus.WS_FULL), w('b', 0.7)], 0.7)).toBe(0);
    expect(claimAffinity([], 0.7)).toBe(0);
  });

  it('uses float32 like Go: a load of 0.7 received over the wire (float32) gives exactly 0', () => {
    expect(claimAffinity([w('a', Math.fround(0.7))], 0.7)).toBe(0);
    expect(claimAffinity([w('a', Math.fround(0.69))], 0.7)).toBeGreaterThan(0);
  });

  it('sums the headroom of available workers only', () => {
    expect(claimAffinity([w('a', 0.5), w('b', 0.2), w('c', 0, WorkerStatus.WS_FULL)], 0.7)).toBeCloseTo(0.7, 5);
  });
});

describe('selectWeightedByLoad (weight max(0, 1 − load), untried available workers)', () => {
  it('draws roughly in proportion to 1 − load, and the same sequence for the same seed', () => {
    const workers = [w('a', 0), w('b', 0.5), w('c', 0.75)];
    const draw = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 7000 }, () => (selectWeightedByLoad(workers, new Set(), random) as { worker: SelectableWorker }).worker.workerId);
    };
    const picks = draw(7);
    const share = (id: string) => picks.filter((p) => p === id).length / picks.length;
    // weights 1 : 0.5 : 0.25 → 4/7, 2/7, 1/7
    expect(share('a')).toBeCloseTo(4 / 7, 1);
    expect(share('b')).toBeCloseTo(2 / 7, 1);
    expect(share('c')).toBeCloseTo(1 / 7, 1);
    expect(draw(7)).toEqual(picks);
    expect(draw(8)).not.toEqual(picks);
  });

  it('a worker above the target load (but < 1) is still drawn sometimes', () => {
    const random = seededRandom(1);
    const picks = Array.from({ length: 500 }, () => (selectWeightedByLoad([w('low', 0), w('high', 0.8)], new Set(), random) as { worker: SelectableWorker }).worker.workerId);
    expect(picks).toContain('high');
  });

  it('skips FULL and attempted workers; reports none left / no capacity', () => {
    const random = seededRandom(1);
    expect(selectWeightedByLoad([w('a', 0, WorkerStatus.WS_FULL), w('b', 0)], new Set(), random)).toEqual({ worker: w('b', 0) });
    expect(selectWeightedByLoad([w('a', 0), w('b', 0)], new Set(['a', 'b']), random)).toEqual({ none: 'no_untried_worker' });
    expect(selectWeightedByLoad([w('a', 1), w('b', 1.5)], new Set(), random)).toEqual({ none: 'no_capacity' });
    for (let i = 0; i < 50; i++) {
      expect(selectWeightedByLoad([w('zero', 1), w('b', 0.3)], new Set(), random)).toEqual({ worker: w('b', 0.3) });
    }
  });
});
