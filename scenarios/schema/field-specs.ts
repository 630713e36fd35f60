/**
 * The scenario schema as data: every field each section accepts, its type and whether it is required.
 * Kept declarative so the validator, the error messages and the docs agree.
 */
import { REAL_TIMING } from '../../mock-server/config/timing.ts';
import type { JobTypeName } from '../../mock-server/trace/events.ts';
import type { JobState } from '../model.ts';

export type FieldSpec =
  | { t: 'string'; required?: boolean; nonEmpty?: boolean }
  | { t: 'number'; required?: boolean; min?: number; max?: number; integer?: boolean }
  | { t: 'boolean'; required?: boolean }
  | { t: 'enum'; values: readonly string[]; required?: boolean }
  | { t: 'stringMap'; required?: boolean }
  | { t: 'stringList'; required?: boolean; values?: readonly string[] }
  | { t: 'object'; required?: boolean }
  | { t: 'count'; required?: boolean }
  | { t: 'answer'; required?: boolean }
  | { t: 'agents'; required?: boolean }
  | { t: 'timing'; required?: boolean };

export type Section = Record<string, FieldSpec>;

export const JOB_TYPES = ['JT_ROOM', 'JT_PUBLISHER', 'JT_PARTICIPANT'] as const satisfies readonly JobTypeName[];
/** `rtc`: agents join rooms (ctx.connect), which needs WebRTC with ICE, so a non-loopback server address. */
export const REQUIREMENTS = ['node-runtime', 'python-runtime', 'lab-control', 'media', 'rtc'] as const;
export const RUNTIMES = ['node', 'python'] as const;
export const TIMING_KEYS = Object.keys(REAL_TIMING);
export const ANSWERS = ['accept', 'reject', 'terminate', 'never'] as const;
export const JOB_STATES = ['offered', 'assigned', 'open', 'rejected', 'dropped', 'timed_out', 'declined', 'completed', 'terminated', 'orphaned', 'abandoned'] as const satisfies readonly JobState[];

const str = { t: 'string' } as const;
const reqStr = { t: 'string', required: true, nonEmpty: true } as const;
const ms = { t: 'number', min: 0 } as const;

export const TOP_LEVEL: Section = {
  name: reqStr,
  description: reqStr,
  reproduces: reqStr,
  requires: { t: 'stringList', values: REQUIREMENTS },
  runtimes: { t: 'stringList', values: RUNTIMES },
  timing: { t: 'timing' },
  seed: { t: 'number', integer: true },
  timeout: ms,
  steps: { t: 'object', required: true },
};

const workerCommon: Section = {
  id: reqStr,
  kind: { t: 'enum', values: ['protocol', 'node', 'python', 'command', 'runtime'] },
  agentName: str,
  jobType: { t: 'enum', values: JOB_TYPES },
};

export const PROTOCOL_WORKER: Section = {
  ...workerCommon,
  namespace: str,
  deployment: str,
  load: { t: 'number', min: 0, max: 1 },
  status: { t: 'enum', values: ['available', 'full'] },
  answer: { t: 'answer' },
  joinRoom: { t: 'boolean' },
  completeAfterMs: ms,
};

export const RUNTIME_WORKER: Section = {
  ...workerCommon,
  script: { t: 'object' },
  agentFile: str,
  command: { t: 'stringList' },
  drainTimeoutMs: ms,
  shutdownProcessTimeoutMs: ms,
  loadThreshold: { t: 'number', min: 0 },
  idleProcesses: { t: 'number', min: 0, integer: true },
};

const roomAndIdentity: Section = { room: reqStr, identity: reqStr };

/** Every step kind except `worker` and `expect`, which have their own rules. */
export const STEPS: Record<string, Section | 'number-or-ms' | 'empty'> = {
  room: { name: reqStr, agents: { t: 'agents' }, metadata: str, emptyTimeout: ms, departureTimeout: ms },
  join: {
    ...roomAndIdentity,
    name: str,
    metadata: str,
    attributes: { t: 'stringMap' },
    agents: { t: 'agents' },
    kind: { t: 'enum', values: ['standard', 'agent', 'sip', 'egress', 'ingress'] },
  },
  publish: { ...roomAndIdentity, track: { t: 'enum', values: ['audio', 'video'] } },
  leave: roomAndIdentity,
  removeParticipant: roomAndIdentity,
  dispatch: { id: str, room: reqStr, agentName: { t: 'string', required: true }, metadata: str },
  deleteDispatch: { room: reqStr, dispatch: reqStr },
  listDispatch: { room: reqStr, jobs: { t: 'number', min: 0, integer: true, required: true }, within: ms },
  deleteRoom: { room: reqStr },
  kill: { worker: reqStr },
  restart: { worker: reqStr },
  drain: { worker: reqStr },
  setLoad: { worker: reqStr, load: { t: 'number', min: 0, required: true }, status: { t: 'enum', values: ['available', 'full'] } },
  fault: {
    name: str,
    type: { t: 'enum', values: ['delay', 'drop', 'stall_availability', 'close'], required: true },
    worker: str,
    agentName: str,
    direction: { t: 'enum', values: ['in', 'out', 'both'] },
    messages: { t: 'stringList' },
    ms,
    abrupt: { t: 'boolean' },
  },
  clearFaults: 'empty',
  wait: 'number-or-ms',
};

export const EXPECT_COMMON: Section = { within: ms, for: ms, because: str };

export const EXPECT_KINDS: Record<string, Section> = {
  jobs: {
    jobs: { t: 'count', required: true },
    room: str,
    type: { t: 'enum', values: JOB_TYPES },
    agentName: str,
    namespace: str,
    worker: str,
    offeredTo: str,
    rejectedBy: str,
    participant: str,
    dispatch: str,
    outcome: { t: 'enum', values: JOB_STATES },
    status: { t: 'enum', values: ['JS_SUCCESS', 'JS_FAILED'] },
    reason: str,
  },
  marks: { marks: { t: 'count', required: true }, name: str, worker: str, data: { t: 'object' }, distinct: str },
  participants: {
    participants: { t: 'count', required: true },
    event: { t: 'enum', values: ['joined', 'left', 'published'] },
    room: str,
    identity: str,
    kind: str,
    first: { t: 'boolean' },
    reason: str,
  },
  workers: {
    workers: { t: 'count', required: true },
    event: { t: 'enum', values: ['registered', 'closed', 'status'] },
    worker: str,
    agentName: str,
    jobType: { t: 'enum', values: JOB_TYPES },
    status: { t: 'enum', values: ['WS_AVAILABLE', 'WS_FULL'] },
    reason: str,
  },
  rooms: { rooms: { t: 'count', required: true }, event: { t: 'enum', values: ['created', 'closed'] }, room: str, reason: str, via: str },
  dispatches: {
    dispatches: { t: 'count', required: true },
    event: { t: 'enum', values: ['created', 'deleted'] },
    room: str,
    agentName: str,
    source: { t: 'enum', values: ['default', 'create_room', 'token', 'api'] },
  },
};
