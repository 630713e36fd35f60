import { DELIBERATE_DIFFERENCES, deliberateReason, type DeliberateDifference } from './deliberate-differences.ts';
import type { Difference, JobFact, NormalizedOutcome } from './outcome.ts';

const JOB_FIELDS = ['offeredTo', 'rejectedBy', 'assignedTo', 'assignedState', 'reported', 'outcome', 'endStatus', 'terminations'] as const;

/**
 * Compares two normalized runs field by field. Jobs are matched by their key (room, type, agent,
 * namespace, target participant, occurrence); workers by their label. Differences covered by the
 * deliberate list are returned too, tagged, so a report can show them without failing.
 */
export function compareOutcomes(
  mock: NormalizedOutcome,
  real: NormalizedOutcome,
  deliberate: readonly DeliberateDifference[] = DELIBERATE_DIFFERENCES,
): Difference[] {
  const diffs: Difference[] = [];
  const add = (path: string, m: unknown, r: unknown) => {
    if (same(m, r)) return;
    const d: Difference = { path, mock: m, real: r };
    const id = deliberateReason(d, deliberate);
    diffs.push(id ? { ...d, deliberate: id } : d);
  };

  add('workers', mock.workers.map(workerLine), real.workers.map(workerLine));

  const realJobs = new Map(real.jobs.map((j) => [j.key, j]));
  for (const m of mock.jobs) {
    const r = realJobs.get(m.key);
    realJobs.delete(m.key);
    if (!r) {
      add(`job ${m.key}`, summary(m), undefined);
      continue;
    }
    for (const f of JOB_FIELDS) add(`job ${m.key} › ${f}`, m[f], r[f]);
  }
  for (const r of realJobs.values()) add(`job ${r.key}`, undefined, summary(r));

  add('participants', mock.participants, real.participants);
  add('apiCalls', mock.apiCalls, real.apiCalls);
  return diffs;
}

/** Differences not covered by the deliberate list: what makes a differential check fail. */
export function unexpectedDifferences(diffs: readonly Difference[]): Difference[] {
  return diffs.filter((d) => !d.deliberate);
}

const workerLine = (w: NormalizedOutcome['workers'][number]) => `${w.label}${w.closed ? ' (closed)' : ''}`;

function summary(j: JobFact): string {
  return `${j.outcome}${j.assignedTo ? ` on ${j.assignedTo}` : ''}${j.offeredTo.length ? `, offered to ${j.offeredTo.join(', ')}` : ''}`;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
