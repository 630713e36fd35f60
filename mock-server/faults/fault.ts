import { SignalRequest, SignalResponse } from '@livekit/protocol';
import { LabError } from '../core/errors.ts';

/**
 * Faults are small named data (toxiproxy-style): added, listed, removed one by one or reset in one call.
 * The same objects come from scenarios and from the control API: both go through `parseFault`, and both
 * apply them with `applyFault` (faults/apply-fault.ts).
 *
 * Standing faults (delay, drop, stall_availability) stay until removed and act on every matching frame.
 * Action faults (close, restart) act once when added and are not kept.
 */
export type FaultDirection = 'in' | 'out' | 'both';

/**
 * Which sockets a fault applies to. A worker target (workerId, agentName; empty = every worker) acts on
 * /agent sockets; a participant target (room and/or participant identity) acts on /rtc signal sockets only,
 * so a fault without a target never touches participants.
 */
export interface FaultTarget {
  workerId?: string;
  agentName?: string;
  /** Room name of the participants whose signal connection the fault acts on. */
  room?: string;
  /** Participant identity whose signal connection the fault acts on; a trailing `*` matches a prefix (`agent-*`). */
  participant?: string;
}

export const isParticipantTarget = (t: FaultTarget | undefined): boolean => t?.room !== undefined || t?.participant !== undefined;

export type FaultSpec =
  /**
   * Hold each matching message for `ms` before it is delivered ('in' = worker → server, 'out' = server → worker;
   * for a participant target 'in' = SignalRequest from the client, 'out' = SignalResponse to it).
   */
  | { type: 'delay'; direction: FaultDirection; ms: number; messages?: string[] }
  /** Swallow matching messages (`messages` = oneof cases such as "availability"; empty = all). */
  | { type: 'drop'; direction: FaultDirection; messages?: string[] }
  /** The worker's availability answers never arrive, so offers time out. */
  | { type: 'stall_availability' }
  /** Close the matching sockets now: `abrupt` drops TCP with no close frame (as livekit-server does), otherwise a clean 1000 close. */
  | { type: 'close'; abrupt: boolean }
  /** Restart the server: every socket drops, rooms and jobs are forgotten; workers must reconnect and register again. */
  | { type: 'restart' };

export type FaultType = FaultSpec['type'];
export type Fault = FaultSpec & { name: string; target?: FaultTarget };

export const FAULT_TYPES: readonly FaultType[] = ['delay', 'drop', 'stall_availability', 'close', 'restart'];
export const ACTION_FAULTS: ReadonlySet<FaultType> = new Set(['close', 'restart']);

/** WorkerMessage and ServerMessage oneof cases a fault can name. */
export const MESSAGE_CASES: ReadonlySet<string> = new Set([
  // worker → server
  'register',
  'availability',
  'updateWorker',
  'updateJob',
  'ping',
  'simulateJob',
  'migrateJob',
  // server → worker
  'assignment',
  'termination',
  'pong',
]);

/** SignalRequest and SignalResponse oneof cases a participant fault can name (from the protocol itself). */
export const SIGNAL_MESSAGE_CASES: ReadonlySet<string> = new Set(
  [...SignalRequest.fields.list(), ...SignalResponse.fields.list()].filter((f) => f.oneof?.name === 'message').map((f) => f.localName),
);

/** A fault object that does not describe a fault; `path` names the offending field. */
export class FaultError extends LabError {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super('invalid_fault', `${path}: ${message}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Validates untrusted input (control API JSON, a scenario's YAML) into a Fault, or throws FaultError.
 * Unknown fields are refused so a typo does not silently become a fault that matches everything.
 */
export function parseFault(input: unknown, path = 'fault'): Fault {
  if (!isObject(input)) throw new FaultError(path, 'must be an object');
  const allowed = new Set(['name', 'type', 'target', 'direction', 'ms', 'messages', 'abrupt']);
  for (const k of Object.keys(input)) if (!allowed.has(k)) throw new FaultError(`${path}.${k}`, 'unknown field');
  const { name, type } = input;
  if (typeof name !== 'string' || !name || name.length > 200) throw new FaultError(`${path}.name`, 'must be a non-empty string of at most 200 characters');
  if (typeof type !== 'string' || !(FAULT_TYPES as readonly string[]).includes(type)) {
    throw new FaultError(`${path}.type`, `must be one of ${FAULT_TYPES.join(', ')}`);
  }
  let target: FaultTarget | undefined;
  if (input.target !== undefined) {
    if (!isObject(input.target)) throw new FaultError(`${path}.target`, 'must be an object with workerId and/or agentName, or room and/or participant');
    target = {};
    for (const [k, v] of Object.entries(input.target)) {
      if (k !== 'workerId' && k !== 'agentName' && k !== 'room' && k !== 'participant') throw new FaultError(`${path}.target.${k}`, 'unknown field (workerId, agentName, room, participant)');
      if (typeof v !== 'string') throw new FaultError(`${path}.target.${k}`, 'must be a string');
      target[k] = v;
    }
    // one kind of socket per fault: a mixed target would silently match nothing on one side
    if (isParticipantTarget(target) && (target.workerId !== undefined || target.agentName !== undefined)) {
      throw new FaultError(`${path}.target`, 'names both a worker (workerId/agentName) and a participant (room/participant); a fault acts on one kind of socket');
    }
  }
  const forParticipant = isParticipantTarget(target);
  const direction = (): FaultDirection => {
    const d = input.direction ?? 'both';
    if (d !== 'in' && d !== 'out' && d !== 'both') throw new FaultError(`${path}.direction`, 'must be "in", "out" or "both"');
    return d;
  };
  const messages = (): string[] | undefined => {
    if (input.messages === undefined) return undefined;
    const cases = forParticipant ? SIGNAL_MESSAGE_CASES : MESSAGE_CASES;
    if (!Array.isArray(input.messages) || input.messages.some((m) => typeof m !== 'string' || !cases.has(m))) {
      throw new FaultError(`${path}.messages`, `must be a list of ${forParticipant ? 'signal' : 'message'} cases (${[...cases].join(', ')})`);
    }
    return [...(input.messages as string[])];
  };
  const base = { name, ...(target ? { target } : {}) };
  switch (type as FaultType) {
    case 'delay': {
      const ms = input.ms;
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0 || ms > 600_000) throw new FaultError(`${path}.ms`, 'must be a number of milliseconds from 0 to 600000');
      const m = messages();
      return { ...base, type: 'delay', direction: direction(), ms, ...(m ? { messages: m } : {}) };
    }
    case 'drop': {
      const m = messages();
      return { ...base, type: 'drop', direction: direction(), ...(m ? { messages: m } : {}) };
    }
    case 'stall_availability':
      if (forParticipant) throw new FaultError(`${path}.target`, 'stall_availability acts on workers; a participant target has no availability answers');
      return { ...base, type: 'stall_availability' };
    case 'close': {
      if (input.abrupt !== undefined && typeof input.abrupt !== 'boolean') throw new FaultError(`${path}.abrupt`, 'must be true or false');
      return { ...base, type: 'close', abrupt: input.abrupt === true };
    }
    case 'restart':
      return { ...base, type: 'restart' };
  }
}
