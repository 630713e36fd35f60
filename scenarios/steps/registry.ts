import { clearFaultsStep } from './clear-faults.ts';
import { deleteDispatchStep } from './delete-dispatch.ts';
import { deleteRoomStep } from './delete-room.ts';
import { dispatchStep } from './dispatch.ts';
import { expectStep } from './expect.ts';
import { faultStep } from './fault.ts';
import { joinStep } from './join.ts';
import { leaveStep } from './leave.ts';
import { listDispatchStep } from './list-dispatch.ts';
import { publishStep } from './publish.ts';
import { removeParticipantStep } from './remove-participant.ts';
import { roomStep } from './room.ts';
import { setLoadStep } from './set-load.ts';
import { sipCallStep } from './sip-call.ts';
import { sipDtmfStep } from './sip-dtmf.ts';
import { sipHangupStep } from './sip-hangup.ts';
import { sipInboundTrunkStep } from './sip-inbound-trunk.ts';
import { sipModeStep } from './sip-mode.ts';
import { sipOutboundTrunkStep } from './sip-outbound-trunk.ts';
import { sipPhoneStep } from './sip-phone.ts';
import { sipRuleStep } from './sip-rule.ts';
import type { StepKind } from './step-kind.ts';
import { waitStep } from './wait.ts';
import { drainStep, killStep, restartStep } from './worker-actions.ts';
import { workerStep } from './worker.ts';

/**
 * Every step kind, in the order error messages list them. A new kind: one file (steps/step-kind.ts says what it
 * holds) and one line here. `byRuntime` is not a kind but structure: runtime-matrix.ts replaces it before a run.
 */
export const STEP_KINDS = [
  workerStep,
  expectStep,
  roomStep,
  joinStep,
  publishStep,
  leaveStep,
  removeParticipantStep,
  dispatchStep,
  deleteDispatchStep,
  listDispatchStep,
  deleteRoomStep,
  killStep,
  restartStep,
  drainStep,
  setLoadStep,
  faultStep,
  clearFaultsStep,
  waitStep,
  sipInboundTrunkStep, sipOutboundTrunkStep, sipRuleStep, sipPhoneStep, sipCallStep, sipDtmfStep, sipHangupStep, sipModeStep,
] as const;

type StepOf<K> = K extends StepKind<infer N, infer B> ? { [P in N]: B } : never;
/** `{ <kind>: body }` for every registered kind. */
export type KindStep = StepOf<(typeof STEP_KINDS)[number]>;

const BY_NAME = new Map<string, StepKind<string, unknown>>(STEP_KINDS.map((k) => [k.name, k as unknown as StepKind<string, unknown>]));

export const stepKind = (name: string): StepKind<string, unknown> | undefined => BY_NAME.get(name);

/** A step's kind name and body. */
export const stepParts = (step: object): [string, unknown] => Object.entries(step)[0] ?? ['', undefined];
