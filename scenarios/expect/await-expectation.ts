import { sleep } from '../../agent-runtime/wait-for.ts';
import type { TraceEvent } from '../../mock-server/trace/events.ts';
import { ExpectationFailed } from '../errors.ts';
import { DEFAULT_HOLD_MS } from '../model.ts';
import { isUpperBound, parseCount } from './count.ts';
import { evaluate } from './evaluate.ts';
import type { Evaluation, Names } from './expect-kind.ts';
import { kindOf, type Expectation } from './kinds/registry.ts';

/**
 * "Eventually, with a reason": a lower bound or exact count is polled until it holds (up to `within`);
 * an upper bound (0, ≤N) must hold for the whole `for` window and fails the moment it breaks.
 */
export async function awaitExpectation(e: Expectation, events: () => TraceEvent[], names: Names, defaultWithinMs: number): Promise<Evaluation> {
  const rule = parseCount(kindOf(e).count);
  const upper = isUpperBound(rule);
  const windowMs = upper ? (e.for ?? DEFAULT_HOLD_MS) : (e.within ?? defaultWithinMs);
  const deadline = Date.now() + windowMs;
  let last: Evaluation;
  for (;;) {
    last = evaluate(e, events(), names);
    if (upper && !last.ok) break;
    if (!upper && last.ok) {
      if (e.for === undefined) return last;
      return holdFor(e, events, names, e.for);
    }
    if (Date.now() >= deadline) {
      if (upper) return last;
      break;
    }
    await sleep(20);
  }
  throw failure(e, last, upper ? `held for ${windowMs} ms` : `within ${windowMs} ms`);
}

async function holdFor(e: Expectation, events: () => TraceEvent[], names: Names, ms: number): Promise<Evaluation> {
  const deadline = Date.now() + ms;
  for (;;) {
    const ev = evaluate(e, events(), names);
    if (!ev.ok) throw failure(e, ev, `and still ${ms} ms later`);
    if (Date.now() >= deadline) return ev;
    await sleep(20);
  }
}

function failure(e: Expectation, ev: Evaluation, when: string): ExpectationFailed {
  return new ExpectationFailed(`${ev.expected} ${when}${e.because ? ` (because ${e.because})` : ''}`, ev.seen, ev.lines);
}
