import { str, type Section } from '../../schema/field-specs.ts';
import type { Count } from '../count.ts';
import type { ExpectKind } from '../expect-kind.ts';
import { dispatchesExpectation } from './dispatches.ts';
import { jobsExpectation } from './jobs.ts';
import { marksExpectation } from './marks.ts';
import { participantsExpectation } from './participants.ts';
import { receivedExpectation } from './received.ts';
import { roomsExpectation } from './rooms.ts';
import { sipAgentsExpectation } from './sip-agents.ts';
import { sipCallsExpectation } from './sip-calls.ts';
import { workersExpectation } from './workers.ts';

/** Every expectation kind, in the order error messages list them. A new kind: one file and one line here. */
export const EXPECT_KINDS = [jobsExpectation, marksExpectation, participantsExpectation, workersExpectation, roomsExpectation, dispatchesExpectation, sipCallsExpectation, sipAgentsExpectation, receivedExpectation] as const;

/** The fields every expectation takes besides its kind's. */
export interface ExpectCommon {
  /** Eventually: how long to wait for a positive count (default: the scenario's `timeout`). */
  within?: number;
  /** For a count of 0 or an upper bound: how long it must hold. */
  for?: number;
  /** Shown in the failure message. */
  because?: string;
}

export const EXPECT_COMMON: Section = { within: { t: 'number', min: 0 }, for: { t: 'number', min: 0 }, because: str };

type ExpectationOf<K> = K extends ExpectKind<string, infer E> ? E : never;
export type Expectation = ExpectationOf<(typeof EXPECT_KINDS)[number]> & ExpectCommon;

/** The kinds whose count field `body` holds (a valid expectation holds exactly one). */
export const expectKindsIn = (body: object): ExpectKind<string, Expectation>[] =>
  (EXPECT_KINDS as readonly ExpectKind<string, never>[]).filter((k) => k.name in body) as ExpectKind<string, Expectation>[];

/** The kind of a validated expectation and its count. */
export function kindOf(e: Expectation): { kind: ExpectKind<string, Expectation>; count: Count } {
  const kind = expectKindsIn(e)[0]!;
  return { kind, count: (e as unknown as Record<string, Count>)[kind.name]! };
}
