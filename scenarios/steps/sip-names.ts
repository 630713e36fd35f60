import { SipClient } from 'livekit-server-sdk';
import type { LiveKitTarget } from '../../targets/livekit-target.ts';
import { ScenarioStepError } from '../errors.ts';
import type { Names } from '../expect/expect-kind.ts';
import { labRequest } from '../lab-control.ts';
import type { Path, StepChecks } from './step-kind.ts';

/** The scenario's SIP aliases: trunk and rule `id`s → SIP ids, call `id`s → the mock's SCL_ call ids. */
interface SipNames {
  trunks: Map<string, string>;
  rules: Map<string, string>;
  calls: Map<string, string>;
}

// Keyed by the scenario's Names (one per run, shared by steps and expectations), so no engine type grows a SIP field.
const RUN_NAMES = new WeakMap<Names, SipNames>();

export function sipNames(names: Names): SipNames {
  let n = RUN_NAMES.get(names);
  if (!n) RUN_NAMES.set(names, (n = { trunks: new Map(), rules: new Map(), calls: new Map() }));
  return n;
}

/** A call alias (or a literal SCL_ id) → the call id, for expectations. */
export const sipCallId = (names: Names, ref: string): string => sipNames(names).calls.get(ref) ?? ref;

// While a file is validated: the aliases earlier steps defined, keyed by the scenario's worker set (one per file).
const FILE_NAMES = new WeakMap<Set<string>, { trunks: Set<string>; calls: Set<string> }>();

function fileNames(v: StepChecks): { trunks: Set<string>; calls: Set<string> } {
  let n = FILE_NAMES.get(v.workers);
  if (!n) FILE_NAMES.set(v.workers, (n = { trunks: new Set(), calls: new Set() }));
  return n;
}

export const defineTrunkRef = (v: StepChecks, id: unknown) => void (typeof id === 'string' && fileNames(v).trunks.add(id));
export const defineCallRef = (v: StepChecks, id: unknown) => void (typeof id === 'string' && fileNames(v).calls.add(id));

/** `ref` must be a trunk alias an earlier step made, or a literal ST_ id. */
export function checkTrunkRef(v: StepChecks, ref: unknown, at: Path): void {
  if (typeof ref === 'string' && !ref.startsWith('ST_') && !fileNames(v).trunks.has(ref)) v.issue(at, `no SIP trunk with id "${ref}" was created before this step (sip.inboundTrunk / sip.outboundTrunk)`);
}

/** `ref` must be a call alias an earlier sip.call step placed, or a literal SCL_ id. */
export function checkCallRef(v: StepChecks, ref: unknown, at: Path): void {
  if (typeof ref === 'string' && !ref.startsWith('SCL_') && !fileNames(v).calls.has(ref)) v.issue(at, `no SIP call with id "${ref}" was placed before this step (sip.call)`);
}

/** The SIP Twirp API of the target, as users' code reaches it (livekit-server-sdk SipClient). */
export const sipClient = (target: LiveKitTarget) => new SipClient(target.httpUrl, target.apiKey, target.apiSecret);

/**
 * A SIP API call; a target without SIP (the dev server without Redis answers `internal` "sip not connected") fails
 * the step with one line saying so, never a stack trace.
 */
export async function sipApi<T>(target: LiveKitTarget, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    const err = e as { code?: string; message?: string };
    throw new ScenarioStepError(`${what} is not available on the ${target.kind} target: ${err.code ? `${err.code}: ` : ''}${err.message ?? String(e)} (livekit-server needs Redis and a livekit-sip; the mock simulates both)`);
  }
}

/** A telephony control route (/_lab/sip/...): only the mock has them; elsewhere the step fails saying so. */
export async function sipControl(target: LiveKitTarget, what: string, method: string, path: string, body?: unknown): Promise<unknown> {
  try {
    return await labRequest(target, method, path, body);
  } catch (e) {
    const msg = (e as Error).message;
    if (target.kind !== 'mock' && / → 404: /.test(msg)) throw new ScenarioStepError(`${what} is not available on the ${target.kind} target: only the mock simulates phones and the SIP bridge`);
    throw e;
  }
}

/** The resolved trunk id of an alias (or a literal ST_ id). */
export function trunkId(names: Names, ref: string): string {
  const id = sipNames(names).trunks.get(ref) ?? (ref.startsWith('ST_') ? ref : undefined);
  if (!id) throw new ScenarioStepError(`no SIP trunk "${ref}"`);
  return id;
}

/** The resolved call id of an alias; a call that was never placed is a step error. */
export function callId(names: Names, ref: string): string {
  const id = sipNames(names).calls.get(ref) ?? (ref.startsWith('SCL_') ? ref : undefined);
  if (!id) throw new ScenarioStepError(`no SIP call "${ref}"`);
  return id;
}

/** True when a scenario drives the simulated SIP bridge (any sip.* step, runtime branches included). */
export function usesSimulatedTelephony(s: { steps: object[] }): boolean {
  return s.steps.some((step) => {
    const [name, body] = Object.entries(step)[0] ?? [''];
    if (name === 'byRuntime') return Object.values((body ?? {}) as Record<string, object[]>).some((branch) => usesSimulatedTelephony({ steps: branch }));
    return name.startsWith('sip.');
  });
}
