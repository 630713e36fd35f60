/**
 * The soak: `npm run soak` (1,000 workers, 20,000 dispatches) or `npm run soak -- --workers N --dispatches M`.
 * Runs with --expose-gc (the npm script passes it) so memory is measured after real collections.
 * Prints progress, then the result as one JSON line prefixed with "SOAK_RESULT "; exits 1 on any failed invariant.
 */
import { parseArgs } from 'node:util';
import { runSoak } from './soak.ts';

const { values } = parseArgs({
  options: {
    workers: { type: 'string', default: '1000' },
    dispatches: { type: 'string', default: '20000' },
    seed: { type: 'string', default: String(Date.now() % 100_000) },
    'max-seconds': { type: 'string', default: '900' },
    concurrency: { type: 'string', default: '24' },
  },
});
if (!(globalThis as { gc?: unknown }).gc) console.error('note: run with node --expose-gc for exact memory figures (npm run soak does)');
const result = await runSoak({
  workers: Number(values.workers),
  dispatches: Number(values.dispatches),
  seed: Number(values.seed),
  concurrency: Number(values.concurrency),
  maxMs: Number(values['max-seconds']) * 1000,
  log: (l) => console.log(`[soak ${new Date().toISOString().slice(11, 19)}] ${l}`),
});
console.log(`soak: ${result.workers} workers, ${result.connections} connections, ${result.registrations} registrations, ${result.loadReports} load reports`);
console.log(`soak: ${result.dispatchesAccepted}/${result.dispatchesRequested} dispatches, ${result.roomsDeleted} rooms deleted; jobs created ${result.jobsCreated}, ended ${result.jobsEnded}, lost ${result.jobsLost}`);
console.log(`soak: outcomes ${JSON.stringify(result.outcomes)}`);
console.log(`soak: heap ${result.heapBaselineMb} MB → peak ${result.heapPeakMb} MB → ${result.heapAfterMb} MB; handles ${result.handlesBaseline} → ${result.handlesAfter}; ${(result.elapsedMs / 1000).toFixed(1)} s`);
for (const f of result.failures) console.log(`FAIL ${f}`);
console.log(`SOAK_RESULT ${JSON.stringify(result)}`);
process.exit(result.failures.length ? 1 : 0);
