import type { JobOutcome, JobRef, JobStatusName } from '../trace/events.ts';
import type { Trace } from '../trace/trace.ts';

interface LedgerEntry {
  ref: JobRef;
  workerId?: string;
  ended?: JobOutcome;
}

/**
 * The single place where jobs begin and end, so every job has exactly one recorded end.
 * An attempt to end a job twice is a bug in the mock and is recorded as a warning rather than hidden.
 */
export class JobLedger {
  #jobs = new Map<string, LedgerEntry>();

  /** `wanted`: whether anyone could have wanted a job that was dropped (a warning), or not (a debug line). */
  constructor(
    private readonly trace: Trace,
    private readonly wanted: (ref: JobRef) => boolean = () => true,
  ) {}

  created(ref: JobRef): void {
    this.#jobs.set(ref.jobId, { ref });
    this.trace.record({ kind: 'job.created', ...ref });
  }

  ended(jobId: string, outcome: JobOutcome, reason: string, opts: { workerId?: string; status?: JobStatusName } = {}): void {
    const entry = this.#jobs.get(jobId);
    if (!entry) return;
    if (entry.ended) {
      // After shutdown abandons open jobs, their in-flight offers may still settle: that is not a second end.
      if (entry.ended === 'abandoned') return;
      this.trace.record({ kind: 'log', level: 'warn', message: `job ${jobId} ended twice (${entry.ended}, then ${outcome})` });
      return;
    }
    entry.ended = outcome;
    this.trace.record({ kind: 'job.ended', jobId, outcome, reason, ...opts });
    if (outcome === 'dropped' || outcome === 'rejected' || outcome === 'timed_out') {
      const level = outcome !== 'dropped' || this.wanted(entry.ref) ? 'warn' : 'debug';
      this.trace.record({ kind: 'log', level, message: `job ${jobId} (${entry.ref.jobType} in room "${entry.ref.room}") ${outcome}: ${reason}` });
    }
  }

  isOpen(jobId: string): boolean {
    const e = this.#jobs.get(jobId);
    return !!e && !e.ended;
  }

  ref(jobId: string): JobRef | undefined {
    return this.#jobs.get(jobId)?.ref;
  }

  /** Jobs that have begun and not ended (for invariants and shutdown). */
  openJobs(): JobRef[] {
    return [...this.#jobs.values()].filter((e) => !e.ended).map((e) => e.ref);
  }

  clear(): void {
    this.#jobs.clear();
  }
}
