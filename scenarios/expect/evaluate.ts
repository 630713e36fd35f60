import type { TraceEvent } from '../../mock-server/trace/events.ts';
import { parseCount } from './count.ts';
import type { Evaluation, Names } from './expect-kind.ts';
import { kindOf, type Expectation } from './kinds/registry.ts';
import { formatEvent } from './trace-lines.ts';

/** Counts what `e` expects in the trace so far, by the expectation's registered kind. */
export function evaluate(e: Expectation, events: readonly TraceEvent[], names: Names): Evaluation {
  const t0 = events[0]?.at ?? 0;
  const { kind, count } = kindOf(e);
  return kind.evaluate(e, parseCount(count), { events, names, line: (ev) => formatEvent(ev, t0, names.aliasOf) });
}
