import type { TraceEvent } from '../../mock-server/trace/events.ts';
import type { Section } from '../schema/field-specs.ts';
import type { CountRule } from './count.ts';
import type { AliasOf } from './trace-lines.ts';

export interface Names {
  /** Worker alias → every worker id it registered under. */
  workerIds(alias: string): string[];
  aliasOf: AliasOf;
  /** Dispatch alias (or a literal AD_ id) → dispatch id. */
  dispatchId(ref: string): string;
}

export interface Evaluation {
  count: number;
  /** The count rule holds right now. */
  ok: boolean;
  expected: string;
  seen: string;
  lines: string[];
}

/** What an expectation is evaluated against: the trace so far and the scenario's names. */
export interface EvaluationInput {
  events: readonly TraceEvent[];
  names: Names;
  /** A trace event as a report line (time relative to the first event, worker aliases). */
  line(ev: TraceEvent): string;
}

/**
 * One expectation kind, `expect: { <name>: <count>, ...filters }`: its fields (the count field included) and how
 * it counts. Registered in expect/kinds/registry.ts.
 */
export interface ExpectKind<K extends string = string, E = never> {
  readonly name: K;
  readonly fields: Section;
  /** True when only the lab's control API can show it (the real server does not report it to workers). */
  needsServerInsight?(e: E): boolean;
  evaluate(e: E, rule: CountRule, input: EvaluationInput): Evaluation;
}

/** Types an expectation kind; `E` is what a scenario writes (the count and the filters). */
export const defineExpectKind = <K extends string, E>(kind: ExpectKind<K, E>): ExpectKind<K, E> => kind;
