import type { Clock } from '../core/clock.ts';
import type { TraceEvent, TraceEventBody, TraceEventKind, TraceEventOf } from './events.ts';

type Listener = (event: TraceEvent) => void;

/** An append-only, resettable event log with listeners and async iteration. */
export class Trace {
  #events: TraceEvent[] = [];
  #listeners = new Set<Listener>();
  #seq = 0;
  /** events recorded by recordLazy whose field is not computed yet (see there) */
  #pending: { event: Record<string, unknown>; key: string; compute: () => unknown }[] = [];

  constructor(private readonly clock: Clock) {}

  record<B extends TraceEventBody>(body: B): TraceEvent {
    const event = { ...body, seq: ++this.#seq, at: this.clock.now() } as TraceEvent;
    this.#events.push(event);
    for (const listener of this.#listeners) listener(event);
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
    this.#events.push(event as TraceEvent);
    if (this.#listeners.size === 0) {
      this.#pending.push({ event, key, compute });
      return;
    }
    event[key] = compute();
    for (const listener of this.#listeners) listener(event as TraceEvent);
  }

  #fill(): void {
    if (this.#pending.length === 0) return;
    for (const p of this.#pending) p.event[p.key] = p.compute();
    this.#pending = [];
  }

  /** All events so far (a copy), optionally of one kind. */
  events(): TraceEvent[];
  events<K extends TraceEventKind>(kind: K): TraceEventOf<K>[];
  events(kind?: TraceEventKind): TraceEvent[] {
    this.#fill();
    return kind ? this.#events.filter((e) => e.kind === kind) : [...this.#events];
  }

  /** Events recorded after `seq`. */
  since(seq: number): TraceEvent[] {
    this.#fill();
    return this.#events.filter((e) => e.seq > seq);
  }

  get lastSeq(): number {
    return this.#seq;
  }

  onEvent(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Forgets recorded events; sequence numbers keep increasing so readers never see a number twice. */
  reset(): void {
    this.#events = [];
    this.#pending = [];
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
