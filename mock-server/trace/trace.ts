import type { Clock } from '../core/clock.ts';
import type { TraceEvent, TraceEventBody, TraceEventKind, TraceEventOf } from './events.ts';

type Listener = (event: TraceEvent) => void;

/** An append-only, resettable event log with listeners and async iteration. */
export class Trace {
  #events: TraceEvent[] = [];
  #listeners = new Set<Listener>();
  #seq = 0;

  constructor(private readonly clock: Clock) {}

  record<B extends TraceEventBody>(body: B): TraceEvent {
    const event = { ...body, seq: ++this.#seq, at: this.clock.now() } as TraceEvent;
    this.#events.push(event);
    for (const listener of this.#listeners) listener(event);
    return event;
  }

  /**
   * `record` with one field computed on first read. The profile showed every worker message converted to
   * JSON as it was traced, though most are never read; the field is an own enumerable accessor that
   * replaces itself with the value when first read, so spreads, JSON.stringify and deep equality see the
   * same event as before. `compute` must not depend on state that changes later (capture a snapshot).
   */
  recordLazy<B extends TraceEventBody, K extends keyof B & string>(body: Omit<B, K>, key: K, compute: () => B[K]): TraceEvent {
    const event = { ...body } as Record<string, unknown>;
    const settle = (value: unknown) => Object.defineProperty(event, key, { value, writable: true, enumerable: true, configurable: true });
    Object.defineProperty(event, key, {
      enumerable: true,
      configurable: true,
      get: () => {
        const value = compute();
        settle(value);
        return value;
      },
      set: settle,
    });
    event.seq = ++this.#seq;
    event.at = this.clock.now();
    this.#events.push(event as TraceEvent);
    for (const listener of this.#listeners) listener(event as TraceEvent);
    return event as TraceEvent;
  }

  /** All events so far (a copy), optionally of one kind. */
  events(): TraceEvent[];
  events<K extends TraceEventKind>(kind: K): TraceEventOf<K>[];
  events(kind?: TraceEventKind): TraceEvent[] {
    return kind ? this.#events.filter((e) => e.kind === kind) : [...this.#events];
  }

  /** Events recorded after `seq`. */
  since(seq: number): TraceEvent[] {
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
