import { parseIntegerScriptArgs } from '../../cli/args.ts';
import { runMemorySoak } from './memory-soak.ts';

/**
 * npm run soak:memory [-- --hours 24 --workers 20 --rooms 1000]: a day of serve in simulated time with the
 * default trace retention; fails when the heap passes the bound the README states.
 */
const USAGE = 'usage: npm run soak:memory -- [--hours H] [--workers N] [--rooms N] [--heap-bound-mb MB] [--rss-bound-mb MB]';
const values = parseIntegerScriptArgs('soak:memory', USAGE, { hours: 24, workers: 20, rooms: 1000, 'heap-bound-mb': 256, 'rss-bound-mb': 450 });
const { hours, 'heap-bound-mb': HEAP_BOUND_MB, 'rss-bound-mb': RSS_BOUND_MB } = values;
const result = await runMemorySoak({
  workers: values.workers,
  rooms: values.rooms,
  durationMs: hours * 3_600_000,
  onHour: (s) => console.log(`${String(s.simulatedHours).padStart(5)} h  heap ${s.heapUsedMb} MB  rss ${s.rssMb} MB  trace ${s.traceEvents} events (${s.traceMb} MB est.), evicted ${s.evictedEvents}, jobs ${s.jobs}`),
});
console.log(
  `simulated ${hours} h in ${(result.wallMs / 1000).toFixed(1)} s: ${result.recordedEvents} events recorded; heap baseline ${result.baselineHeapMb} MB, peak ${result.peakHeapMb} MB, final ${result.final.heapUsedMb} MB; peak RSS ${result.peakRssMb} MB (bounds: heap ≤ ${HEAP_BOUND_MB} MB, RSS ≤ ${RSS_BOUND_MB} MB)`,
);
process.exitCode = result.peakHeapMb <= HEAP_BOUND_MB && result.peakRssMb <= RSS_BOUND_MB ? 0 : 1;
