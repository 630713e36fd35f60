import { describe, expect, it } from 'vitest';
import { SEGMENT_EVENTS } from '../../mock-server/trace/trace-retention.ts';
import { runMemorySoak } from './memory-soak.ts';

/**
 * The short form of `npm run soak:memory` (a day of 20 workers and 1,000 rooms with the default retention):
 * four simulated hours of 20 workers and 200 rooms with the trace bounded at 40,000 events, so the bound is
 * reached after about 40 minutes and the rest of the run shows whether memory stays flat once it is.
 */
describe('memory in simulated time', () => {
  it('20 workers reporting every 2.5 s for 4 h and 200 rooms: the trace stays bounded and the heap stops growing', async () => {
    const maxEvents = 40_000;
    const r = await runMemorySoak({ workers: 20, rooms: 200, durationMs: 4 * 3_600_000, traceRetention: { maxEvents } });
    expect(r.recordedEvents).toBeGreaterThan(4 * 20 * 2 * 1440 * 0.99); // two events per status report
    expect(r.final.jobs).toBe(200);
    expect(r.final.traceEvents).toBeLessThanOrEqual(maxEvents + SEGMENT_EVENTS);
    expect(r.final.evictedEvents).toBeGreaterThan(r.recordedEvents - maxEvents - SEGMENT_EVENTS - 10);
    const [h1] = r.samples;
    console.log(`memory soak (short): ${JSON.stringify(r.samples)}; baseline ${r.baselineHeapMb} MB, peak heap ${r.peakHeapMb} MB, peak RSS ${r.peakRssMb} MB, ${r.wallMs} ms`);
    // measured here: ~8 MB of trace for 40,000 events; what the server holds besides is small and ends with its rooms
    const growth = r.final.heapUsedMb - h1!.heapUsedMb;
    expect(growth, JSON.stringify(r.samples)).toBeLessThan(6);
    expect(r.peakHeapMb - r.baselineHeapMb, JSON.stringify(r)).toBeLessThan(60);
  }, 60_000);
});
