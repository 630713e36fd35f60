import type { TraceEvent } from '../../mock-server/trace/events.ts';
import { countText, holds, type Count, type CountRule } from './count.ts';
import type { Section } from '../schema/field-specs.ts';
import { defineExpectKind, type Evaluation, type EvaluationInput, type ExpectKind } from './expect-kind.ts';

export const MAX_LINES = 40;

/** An expectation that counts trace events: `matches` among `context`, the events a failure message shows. */
export function countEvents(
  rule: CountRule,
  what: string,
  matches: TraceEvent[],
  context: TraceEvent[],
  { line }: EvaluationInput,
  count = matches.length,
): Evaluation {
  return {
    count,
    ok: holds(rule, count),
    expected: `${countText(rule)} ${what}`,
    seen: `${count} matching${count ? `: ${matches.slice(0, 5).map((m) => line(m).trim()).join('; ')}` : ''}`,
    lines: context.slice(-MAX_LINES).map(line),
  };
}

/** A family of trace events an expectation counts: `room.created` and `room.closed` are the family `room`. */
export interface EventFamily {
  prefix: string;
  /** The events an expectation's `event:` can pick; the first is the default. */
  events: readonly string[];
}

/** The type of an event-counting expectation: the count under the kind's name, the event it counts, its filters. */
export type EventCountExpectation<K extends string, Ev extends string, Filters> = { [k in K]: Count } & { event?: Ev } & Filters;

/**
 * An expectation kind that counts one family's events: `{ <name>: <count>, event?, ...filters }`. `accept` says
 * whether an event of the picked kind passes the filters; a failure shows the whole family.
 */
export function defineEventCountKind<K extends string, E extends { event?: string }>(kind: {
  name: K;
  family: EventFamily;
  filters: Section;
  /** Filters an event passes when its own field of that name is the given value (room, identity, ...). */
  equal?: readonly (keyof E & string)[];
  needsServerInsight?: (e: E) => boolean;
  /** The kind's other filters; default none. */
  accept?: (e: E, x: TraceEvent, input: EvaluationInput) => boolean;
}): ExpectKind<K, E> {
  const { name, family, filters } = kind;
  return defineExpectKind<K, E>({
    name,
    fields: { [name]: { t: 'count', required: true }, event: { t: 'enum', values: family.events }, ...filters },
    needsServerInsight: kind.needsServerInsight,
    evaluate(e, rule, input) {
      const chosen = e.event ?? family.events[0];
      const kinds = new Set(family.events.map((n) => `${family.prefix}.${n}`));
      const context = input.events.filter((x) => kinds.has(x.kind));
      const equal = (x: TraceEvent) => (kind.equal ?? []).every((f) => e[f] === undefined || (x as Record<string, unknown>)[f] === e[f]);
      const matches = context.filter((x) => x.kind === `${family.prefix}.${chosen}` && equal(x) && (kind.accept?.(e, x, input) ?? true));
      const given = Object.fromEntries(Object.keys(filters).map((f) => [f, (e as Record<string, unknown>)[f]]));
      return countEvents(rule, describe(`${family.prefix} ${chosen} event(s)`, given), matches, context, input);
    },
  });
}

/** `noun with k=v k2=v2` for the filters given. */
export function describe(noun: string, filters: Record<string, unknown>): string {
  const parts = Object.entries(filters)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? (v === '' ? '""' : v) : JSON.stringify(v)}`);
  return parts.length ? `${noun} with ${parts.join(' ')}` : noun;
}

/** No alias given, or the event's worker id is one the alias registered under. */
export const inWorker = ({ names }: EvaluationInput, alias: string | undefined, id: string | undefined) =>
  alias === undefined || (id !== undefined && names.workerIds(alias).includes(id));

/** No substring given, or `text` contains it. */
export const hasText = (sub: string | undefined, text: string | undefined) => sub === undefined || (text ?? '').includes(sub);
