/**
 * The soak: `npm run soak` (1,000 workers, 20,000 dispatches) or `npm run soak -- --workers N --dispatches M`.
 * Runs with --expose-gc (the npm script passes it) so memory is measured after real collections.
 * Prints progress, then the result as one JSON line prefixed with "SOAK_RESULT "; exits 1 on any failed invariant.
 */
import { parseIntegerScriptArgs } from '../cli/args.ts';
import { runSoak } from './soak.ts';

const USAGE = 'usage: npm run soak -- [--workers N] [--dispatches M] [--seed S] [--max-seconds T] [--concurrency C]';
const values = parseIntegerScriptArgs('soak', USAGE, { workers: 1000, dispatches: 20000, seed: Date.now() % 100_000, 'max-seconds': 900, concurrency: 24 }, (k) => (k === 'seed' ? 0 : 1));
if (!(globalThis as { gc?: unknown }).gc) console.error('note: run with node --expose-gc for exact memory figures (npm run soak does)');
const result = await runSoak({
  workers: values.workers,
  dispatches: values.dispatches,
  seed: values.seed,
  concurrency: values.concurrency,
  maxMs: values['max-seconds'] * 1000,
  log: (l) => console.log(`[soak ${new Date().toISOString().slice(11, 19)}] ${l}`),
});
console.log(`soak: ${result.workers} workers, ${result.connections} connections, ${result.registrations} registrations, ${result.loadReports} load reports`);
console.log(`soak: ${result.dispatchesAccepted}/${result.dispatchesRequested} dispatches, ${result.roomsDeleted} rooms deleted; jobs created ${result.jobsCreated}, ended ${result.jobsEnded}, lost ${result.jobsLost}`);
console.log(`soak: outcomes ${JSON.stringify(result.outcomes)}`);
console.log(`soak: heap ${result.heapBaselineMb} MB → peak ${result.heapPeakMb} MB → ${result.heapAfterMb} MB; handles ${result.handlesBaseline} → ${result.handlesAfter}; ${(result.elapsedMs / 1000).toFixed(1)} s`);
for (const f of result.failures) console.log(`FAIL ${f}`);
console.log(`SOAK_RESULT ${JSON.stringify(result)}`);
process.exit(result.failures.length ? 1 : 0);
