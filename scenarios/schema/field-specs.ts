/**
 * The scenario schema as data: the field types, the top level, and the value lists steps share. Each step kind's
 * and expectation kind's fields sit in its own file (steps/, expect/kinds/). Declarative, so the validator, the
 * error messages and the docs agree.
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

export const str = { t: 'string' } as const;
export const reqStr = { t: 'string', required: true, nonEmpty: true } as const;
export const ms = { t: 'number', min: 0 } as const;
export const roomAndIdentity: Section = { room: reqStr, identity: reqStr };

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
