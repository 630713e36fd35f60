import type { Clock } from '../core/clock.ts';
import { estimateJsonBytes } from './event-size.ts';
import type { TraceEvent, TraceEventBody, TraceEventKind, TraceEventOf } from './events.ts';
import { DEFAULT_TRACE_RETENTION, SEGMENT_EVENTS, type TraceRetention, type TraceStats } from './trace-retention.ts';

type Listener = (event: TraceEvent) => void;
type Pending = { event: Record<string, unknown>; key: string; compute: () => unknown };

/** A run of consecutive events; the unit of eviction and of the binary search by sequence number. */
interface Segment {
  events: TraceEvent[];
  bytes: number;
  pending: Pending[];
}

/** Until a lazy field is computed, it counts as this many bytes (a typical worker message's JSON). */
const LAZY_FIELD_BYTES = 160;

/**
 * An append-only event log with listeners and async iteration, bounded by event count and bytes: the
 * oldest segments are evicted and a `trace.gap` event says which sequence numbers went. Reads from a
 * sequence number binary-search the segments (the server keeps running for days; a reader polling
 * `since(seq)` must not scan a million events).
 */
export class Trace {
  #segments: Segment[] = [];
  #listeners = new Set<Listener>();
  #seq = 0;
  #events = 0;
  #bytes = 0;
  #evictedEvents = 0;
  #evictedBytes = 0;
  #evicting = false;
  readonly retention: TraceRetention;

  constructor(
    private readonly clock: Clock,
    retention: Partial<TraceRetention> = {},
  ) {
    this.retention = { ...DEFAULT_TRACE_RETENTION, ...retention };
  }

  record<B extends TraceEventBody>(body: B): TraceEvent {
    const event = { ...body, seq: ++this.#seq, at: this.clock.now() } as TraceEvent;
    this.#store(event, estimateJsonBytes(event));
    for (const listener of this.#listeners) listener(event);
    this.#enforce();
    return event;
  }

  /**
   * `record` with one field computed later. The profile showed every worker message converted to JSON as
   * it was traced, though most are never read. The event is stored with the field unset and filled in
   * before anyone can see it: at once when listeners are attached, otherwise on the next events()/since().
   * Those are the only ways to reach an event, so every reader sees the same plain data object as before
   * (a getter would be seen by util.inspect, and defining one cost more than the JSON it saved).
   * `compute` must not depend on state that changes later (capture a snapshot). Returns nothing: the
   * event may not be complete yet.
   */
  recordLazy<B extends TraceEventBody, K extends keyof B & string>(body: Omit<B, K>, key: K, compute: () => B[K]): void {
    const event = { ...body, [key]: undefined, seq: ++this.#seq, at: this.clock.now() } as Record<string, unknown>;
    if (this.#listeners.size === 0) {
      const segment = this.#store(event as TraceEvent, estimateJsonBytes(event) + LAZY_FIELD_BYTES);
      segment.pending.push({ event, key, compute });
    } else {
      event[key] = compute();
      this.#store(event as TraceEvent, estimateJsonBytes(event));
      for (const listener of this.#listeners) listener(event as TraceEvent);
    }
    this.#enforce();
  }

  #store(event: TraceEvent, bytes: number): Segment {
    let last = this.#segments[this.#segments.length - 1];
    if (!last || last.events.length >= SEGMENT_EVENTS) this.#segments.push((last = { events: [], bytes: 0, pending: [] }));
    last.events.push(event);
    last.bytes += bytes;
    this.#events++;
    this.#bytes += bytes;
    return last;
  }

  /** Evicts the oldest segments while a bound is exceeded (never the one being written), then records the gap. */
  #enforce(): void {
    if (this.#evicting) return;
    const { maxEvents, maxBytes } = this.retention;
    if (this.#events <= maxEvents && this.#bytes <= maxBytes) return;
    let events = 0;
    let bytes = 0;
    let fromSeq = 0;
    let toSeq = 0;
    while ((this.#events > maxEvents || this.#bytes > maxBytes) && this.#segments.length > 1) {
      const s = this.#segments.shift()!;
      fromSeq ||= s.events[0]!.seq;
      toSeq = s.events[s.events.length - 1]!.seq;
      events += s.events.length;
      bytes += s.bytes;
      this.#events -= s.events.length;
      this.#bytes -= s.bytes;
    }
    if (events === 0) return;
    this.#evictedEvents += events;
    this.#evictedBytes += bytes;
    const bound = this.#events + events > maxEvents ? `${maxEvents} events` : `${maxBytes} bytes`;
    this.#evicting = true;
    try {
      this.record({ kind: 'trace.gap', fromSeq, toSeq, events, bytes, reason: `the trace keeps at most ${bound}; oldest events evicted` });
    } finally {
      this.#evicting = false;
    }
  }

  #fill(): void {
    for (const s of this.#segments) {
      if (s.pending.length === 0) continue;
      for (const p of s.pending) {
        p.event[p.key] = p.compute();
        const delta = estimateJsonBytes(p.event[p.key]) + p.key.length + 4 - LAZY_FIELD_BYTES;
        s.bytes += delta;
        this.#bytes += delta;
      }
      s.pending = [];
    }
  }

  /** All retained events (a copy), optionally of one kind. */
  events(): TraceEvent[];
  events<K extends TraceEventKind>(kind: K): TraceEventOf<K>[];
  events(kind?: TraceEventKind): TraceEvent[] {
    this.#fill();
    const out: TraceEvent[] = [];
    for (const s of this.#segments) for (const e of s.events) if (!kind || e.kind === kind) out.push(e);
    return out;
  }

  /** Retained events recorded after `seq`, found by binary search (segments, then within the segment). */
  since(seq: number, limit = Infinity): TraceEvent[] {
    this.#fill();
    const segs = this.#segments;
    let lo = 0;
    let hi = segs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const s = segs[mid]!.events;
      if (s[s.length - 1]!.seq <= seq) lo = mid + 1;
      else hi = mid;
    }
    const out: TraceEvent[] = [];
    for (let i = lo; i < segs.length && out.length < limit; i++) {
      const events = segs[i]!.events;
      let start = 0;
      if (i === lo) {
        let a = 0;
        let b = events.length;
        while (a < b) {
          const mid = (a + b) >> 1;
          if (events[mid]!.seq <= seq) a = mid + 1;
          else b = mid;
        }
        start = a;
      }
      for (let j = start; j < events.length && out.length < limit; j++) out.push(events[j]!);
    }
    return out;
  }

  get lastSeq(): number {
    return this.#seq;
  }

  /** The oldest retained sequence number (lastSeq + 1 when nothing is retained). */
  get firstSeq(): number {
    return this.#segments[0]?.events[0]?.seq ?? this.#seq + 1;
  }

  stats(): TraceStats {
    return {
      events: this.#events,
      bytes: this.#bytes,
      firstSeq: this.firstSeq,
      lastSeq: this.#seq,
      evictedEvents: this.#evictedEvents,
      evictedBytes: this.#evictedBytes,
      retention: { ...this.retention },
    };
  }

  onEvent(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Forgets recorded events; sequence numbers keep increasing so readers never see a number twice. */
  reset(): void {
    this.#segments = [];
    this.#events = 0;
    this.#bytes = 0;
  }

  /** Live events from now on, until the returned iterator's `return()` is called or `signal` aborts. */
  async *subscribe(signal?: AbortSignal): AsyncGenerator<TraceEvent> {
    const queue: TraceEvent[] = [];
    let wake: (() => void) | undefined;
    const off = this.onEvent((e) => {
      queue.push(e);
      wake?.();
    });
    const onAbort = () => wake?.();
    signal?.addEventListener('abort', onAbort);
    try {
      while (!signal?.aborted) {
        if (queue.length === 0) await new Promise<void>((r) => (wake = r));
        wake = undefined;
        while (queue.length > 0) yield queue.shift()!;
      }
    } finally {
      off();
      signal?.removeEventListener('abort', onAbort);
    }
  }
}
