/**
 * How much of the trace stays in memory. A day of ten idle workers is about 0.7 M events (each worker
 * reports its status every 2.5 s: one `worker.message` and one `worker.status` event), about 85 MB of JSON;
 * the defaults hold that with room to spare. Memory measured per retained event: see the README.
 */
export interface TraceRetention {
  /** Events kept at most; the oldest are evicted first (default 1,000,000). */
  maxEvents: number;
  /** Estimated JSON bytes kept at most (default 256 MiB). */
  maxBytes: number;
}

export const DEFAULT_TRACE_RETENTION: TraceRetention = { maxEvents: 1_000_000, maxBytes: 256 * 1024 * 1024 };

/** Events per segment: eviction drops whole segments, so a bound is exceeded by at most one segment's worth. */
export const SEGMENT_EVENTS = 4096;

/** What the trace holds now and what it has evicted. */
export interface TraceStats {
  events: number;
  bytes: number;
  firstSeq: number;
  lastSeq: number;
  evictedEvents: number;
  evictedBytes: number;
  retention: TraceRetention;
}
