import type { TraceEvent } from '../../../mock-server/trace/events.ts';
import { str } from '../../schema/field-specs.ts';
import type { Count } from '../count.ts';
import { countEvents, describe, inWorker } from '../event-count.ts';
import { defineExpectKind } from '../expect-kind.ts';

/** Marks the lab's scripted agents post (entry, shutdown, ...). */
export interface MarksExpectation {
  marks: Count;
  name?: string;
  worker?: string;
  data?: Record<string, unknown>;
  /** Count the distinct values of this data field (e.g. pid) among the matching marks instead of the marks. */
  distinct?: string;
}

export const marksExpectation = defineExpectKind<'marks', MarksExpectation>({
  name: 'marks',
  fields: { marks: { t: 'count', required: true }, name: str, worker: str, data: { t: 'object' }, distinct: str },
  evaluate(e, rule, input) {
    const what = describe(e.distinct ? `distinct "${e.distinct}" value(s) of marks` : 'mark(s)', { name: e.name, worker: e.worker, data: e.data && JSON.stringify(e.data) });
    const context = input.events.filter((x) => x.kind === 'mark');
    const matches = context.filter(
      (x) =>
        x.kind === 'mark' &&
        (e.name === undefined || x.name === e.name) &&
        inWorker(input, e.worker, x.workerId) &&
        Object.entries(e.data ?? {}).every(([k, v]) => JSON.stringify(x.data[k]) === JSON.stringify(v)),
    );
    // `distinct` counts values, not marks: three entry marks with three different pids are three processes.
    return countEvents(rule, what, matches, context, input, e.distinct ? distinctValues(matches, e.distinct) : matches.length);
  },
});

function distinctValues(marks: TraceEvent[], field: string): number {
  return new Set(marks.map((m) => (m.kind === 'mark' ? JSON.stringify(m.data[field]) : undefined)).filter((v) => v !== undefined)).size;
}
