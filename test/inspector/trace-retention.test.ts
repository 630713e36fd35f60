import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../mock-server/core/clock.ts';
import type { TraceEvent, TraceEventBody } from '../../mock-server/trace/events.ts';
import { SEGMENT_EVENTS } from '../../mock-server/trace/trace-retention.ts';
import { Trace } from '../../mock-server/trace/trace.ts';

const status = (i: number) => ({ kind: 'worker.status', workerId: `AW_${i % 20}`, status: 'WS_AVAILABLE', load: (i % 10) / 10 }) as const;

describe('trace retention', () => {
  it('keeps at most maxEvents (plus one segment), evicts the oldest and records each gap', () => {
    const trace = new Trace(new ManualClock(), { maxEvents: 20_000 });
    for (let i = 0; i < 60_000; i++) trace.record(status(i));
    const s = trace.stats();
    expect(s.events).toBeLessThanOrEqual(20_000 + SEGMENT_EVENTS);
    expect(s.events).toBeGreaterThan(20_000 - SEGMENT_EVENTS);
    expect(s.evictedEvents + s.events).toBe(trace.lastSeq);
    const gaps = trace.events('trace.gap');
    expect(gaps.length).toBeGreaterThan(0);
    // the gaps that are still retained tell exactly which numbers are gone, oldest first, without holes
    const retained = trace.events();
    expect(retained[0]!.seq).toBe(s.firstSeq);
    for (let i = 1; i < retained.length; i++) expect(retained[i]!.seq).toBe(retained[i - 1]!.seq + 1);
    const last = gaps[gaps.length - 1]!;
    expect(last.toSeq).toBe(s.firstSeq - 1);
    expect(last.reason).toContain('at most 20000 events');
    expect(gaps.reduce((n, g) => n + g.events, 0)).toBeLessThanOrEqual(s.evictedEvents);
  });

  it('keeps at most maxBytes of estimated JSON', () => {
    const trace = new Trace(new ManualClock(), { maxBytes: 1_000_000 });
    const body = { kind: 'log', level: 'info', message: 'x'.repeat(200) } as const;
    for (let i = 0; i < 30_000; i++) trace.record(body);
    const s = trace.stats();
    const perEvent = JSON.stringify(trace.events()[5]).length;
    expect(s.bytes).toBeLessThanOrEqual(1_000_000 + SEGMENT_EVENTS * perEvent * 1.2);
    expect(s.bytes / s.events).toBeGreaterThan(perEvent * 0.8); // the estimate is close to the real JSON size
    expect(s.bytes / s.events).toBeLessThan(perEvent * 1.2);
    expect(trace.events('trace.gap').at(-1)!.reason).toContain('bytes');
  });

  it('since(seq) returns exactly the retained events after seq, by binary search', () => {
    const trace = new Trace(new ManualClock(), { maxEvents: 25_000 });
    for (let i = 0; i < 50_000; i++) trace.record(status(i));
    const all = trace.events();
    const probes = [0, 1, trace.firstSeq - 1, trace.firstSeq, trace.firstSeq + 1, trace.firstSeq + SEGMENT_EVENTS - 1, trace.firstSeq + SEGMENT_EVENTS, trace.lastSeq - 1, trace.lastSeq, trace.lastSeq + 5];
    for (let i = 0; i < 40; i++) probes.push(trace.firstSeq + Math.floor(((i * 7919) % 1000) / 1000 * all.length));
    for (const seq of probes) {
      const want = all.filter((e) => e.seq > seq);
      const got = trace.since(seq);
      expect(got.length, `since(${seq})`).toBe(want.length);
      expect(got[0]?.seq, `since(${seq})`).toBe(want[0]?.seq);
    }
    expect(trace.since(trace.lastSeq - 10, 3).map((e) => e.seq)).toEqual([trace.lastSeq - 9, trace.lastSeq - 8, trace.lastSeq - 7]);
  });

  it('reading the newest events of a long trace does not scan it', () => {
    const trace = new Trace(new ManualClock(), { maxEvents: 1_000_000, maxBytes: 1e12 });
    for (let i = 0; i < 300_000; i++) trace.record(status(i));
    const scanStart = performance.now();
    const scanned = trace.events().filter((e: TraceEvent) => e.seq > trace.lastSeq - 5).length;
    const scanMs = performance.now() - scanStart;
    const start = performance.now();
    let n = 0;
    for (let i = 0; i < 1000; i++) n += trace.since(trace.lastSeq - 5).length;
    const perRead = (performance.now() - start) / 1000;
    expect(scanned).toBe(5);
    expect(n).toBe(5000);
    // a full scan costs milliseconds here; a thousand binary-searched reads together cost less than one
    expect(perRead * 1000).toBeLessThan(Math.max(scanMs, 5));
  });

  it('counts a lazily computed field once it is computed', () => {
    const trace = new Trace(new ManualClock());
    trace.recordLazy<Extract<TraceEventBody, { kind: 'worker.message' }>, 'message'>({ kind: 'worker.message', socketId: 'ws-1', direction: 'in', case: 'updateWorker' }, 'message', () => ({ payload: 'y'.repeat(5000) }));
    const before = trace.stats().bytes;
    expect(before).toBeLessThan(1000);
    const [e] = trace.events('worker.message');
    expect((e!.message as { payload: string }).payload).toHaveLength(5000);
    expect(trace.stats().bytes).toBeGreaterThan(5000);
  });

  it('reset forgets events but never reuses a sequence number', () => {
    const trace = new Trace(new ManualClock(), { maxEvents: 10_000 });
    for (let i = 0; i < 15_000; i++) trace.record(status(i));
    const last = trace.lastSeq;
    trace.reset();
    expect(trace.events()).toHaveLength(0);
    expect(trace.stats().events).toBe(0);
    expect(trace.record(status(0)).seq).toBe(last + 1);
    expect(trace.since(0).map((e) => e.seq)).toEqual([last + 1]);
  });
});
