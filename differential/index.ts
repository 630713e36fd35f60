export { normalizeTrace, type NormalizeOptions } from './normalize.ts';
export { compareOutcomes, unexpectedDifferences } from './compare.ts';
export { formatDiff } from './format.ts';
export { DELIBERATE_DIFFERENCES, deliberateReason, type DeliberateDifference } from './deliberate-differences.ts';
export type { Difference, JobFact, NormalizedJobOutcome, NormalizedOutcome, WorkerFact } from './outcome.ts';
export { runViewDifferential, observeView, type ViewDifferentialResult } from './participants/run-view-differential.ts';
export { compareViews, normalizeView, type NormalizedView, type ViewCompareOptions } from './participants/view-compare.ts';
export { ViewSession, type ViewScript } from './participants/view-session.ts';
