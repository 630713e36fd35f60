/**
 * The JSON script that drives the scripted agents (Node: node-scripted-agent.mjs, Python: python_scripted_agent.py).
 * Both read it from the environment variable `LAB_AGENT_SCRIPT` and post marks to `LAB_MARKS_URL`
 * (with `Authorization: Bearer $LAB_MARKS_TOKEN`), so scenarios can assert on what happens inside the job.
 *
 * Steps marked [room] need a real room connection (/rtc signalling + WebRTC); against a target without
 * /rtc they fail, and the failure is reported as a `step.failed` mark rather than hidden.
 */
import { ScriptError } from '../errors.ts';

export const SCRIPT_ENV = 'LAB_AGENT_SCRIPT';
export const MARKS_URL_ENV = 'LAB_MARKS_URL';
export const MARKS_TOKEN_ENV = 'LAB_MARKS_TOKEN';
/** Every mark the scripted agents post carries `source: MARK_SOURCE_PREFIX + runtime` ("scripted-agent:node" / ":python"). */
export const MARK_SOURCE_PREFIX = 'scripted-agent:';

/** How to answer the nth AvailabilityRequest. `delayMs` answers late (the server may already have timed out). */
export type RequestAction =
  | {
      action: 'accept';
      identity?: string;
      name?: string;
      metadata?: string;
      attributes?: Record<string, string>;
      delayMs?: number;
    }
  /** `terminate` is Python-only (its default is true: "do not offer the job to another worker"); Node never sets it. */
  | { action: 'reject'; delayMs?: number; terminate?: boolean }
  /** Never answers: the request handler waits forever (Python would otherwise auto-reject on return). */
  | { action: 'ignore' };

/** Load reported by the worker: a fixed value, or steps by time since the worker process started. */
export type LoadScript = number | { steps: Array<{ atMs: number; value: number }> };

export type Step =
  /** [room] ctx.connect(). Marks `connected` with the room name. */
  | { do: 'connect' }
  /** [room] Node: waitForParticipant(identity?); Python: wait_for_participant (ACTIVE only). Marks `participant.seen`. */
  | { do: 'waitForParticipant'; identity?: string }
  /** [room] Registers a participant entrypoint; each call marks `participant.entry` with the identity. Register before `connect`. */
  | { do: 'participantEntrypoint' }
  /** [room] localParticipant.publishData(payload, {topic, reliable}). */
  | { do: 'sendData'; payload: string; topic?: string }
  /** [room] localParticipant.sendText(text, {topic}). */
  | { do: 'sendText'; text: string; topic?: string }
  | { do: 'sleep'; ms: number }
  /** Throws from the entry (or prewarm): the runtime ends the job as "job crashed". */
  | { do: 'throw'; message?: string }
  /** Exits the job process abruptly with `code` (a crash the runtime did not see coming). */
  | { do: 'exit'; code?: number }
  /** ctx.shutdown(reason): ends the job without a room. */
  | { do: 'shutdown'; reason?: string }
  /** ctx.deleteRoom() / ctx.delete_room(): a Twirp DeleteRoom call. */
  | { do: 'deleteRoom' }
  /** Posts a custom mark. */
  | { do: 'mark'; name: string; data?: Record<string, unknown> };

export interface ShutdownCallback {
  /** How long the callback takes; beyond the runtime's shutdown timeout it is cut short (no `finished` mark). */
  durationMs: number;
  name?: string;
}

export interface AgentScript {
  /** One action per request in order; the last repeats. Default: accept with the runtime's defaults. */
  requests?: RequestAction[];
  load?: LoadScript;
  /** Run in every job process before it is used (idle processes too). */
  prewarm?: Step[];
  /** Run by the job entry, in order. An entry that returns does not end the job; end it with `shutdown`. */
  entry?: Step[];
  /** Entry steps for jobs whose metadata equals the key (instead of `entry`): one worker, different jobs. */
  entryByMetadata?: Record<string, Step[]>;
  /** Registered at the start of the entry. */
  shutdownCallbacks?: ShutdownCallback[];
}

/** Mark names posted by both scripted agents (plus `mark` steps' own names). */
export const MARK_NAMES = {
  requestReceived: 'request.received',
  requestAnswered: 'request.answered',
  prewarmStarted: 'prewarm.started',
  prewarmFinished: 'prewarm.finished',
  entryStarted: 'entry.started',
  entryFinished: 'entry.finished',
  stepStarted: 'step.started',
  stepFailed: 'step.failed',
  connected: 'connected',
  participantSeen: 'participant.seen',
  participantEntry: 'participant.entry',
  exiting: 'process.exiting',
  shutdownCallbackStarted: 'shutdown.callback.started',
  shutdownCallbackFinished: 'shutdown.callback.finished',
} as const;

/** Every mark's `data` carries at least the process id and the runtime. */
export interface ScriptMarkData {
  pid: number;
  runtime: 'node' | 'python';
  [key: string]: unknown;
}

const STEP_KINDS = new Set([
  'connect',
  'waitForParticipant',
  'participantEntrypoint',
  'sendData',
  'sendText',
  'sleep',
  'throw',
  'exit',
  'shutdown',
  'deleteRoom',
  'mark',
]);
const REQUEST_ACTIONS = new Set(['accept', 'reject', 'ignore']);

/** Structural check before a script is handed to a worker, so mistakes fail in the test and not in a child process. */
export function validateScript(script: AgentScript): AgentScript {
  const fail = (msg: string): never => {
    throw new ScriptError(msg);
  };
  for (const [i, r] of (script.requests ?? []).entries()) {
    if (!REQUEST_ACTIONS.has(r.action)) fail(`requests[${i}]: unknown action ${JSON.stringify(r.action)}`);
  }
  const lists: Array<[string, Step[] | undefined]> = [
    ['prewarm', script.prewarm],
    ['entry', script.entry],
    ...Object.entries(script.entryByMetadata ?? {}).map(([k, v]): [string, Step[]] => [`entryByMetadata[${JSON.stringify(k)}]`, v]),
  ];
  for (const [list, steps] of lists) {
    for (const [i, s] of (steps ?? []).entries()) {
      if (!STEP_KINDS.has(s.do)) fail(`${list}[${i}]: unknown step ${JSON.stringify(s.do)}`);
      if (s.do === 'sleep' && !(s.ms >= 0)) fail(`${list}[${i}]: sleep needs ms >= 0`);
    }
  }
  const load = script.load;
  if (typeof load === 'number' && !(load >= 0 && load <= 1)) fail('load must be within 0..1');
  if (load !== undefined && typeof load !== 'number' && !Array.isArray(load.steps)) fail('load.steps must be an array');
  return script;
}

export function encodeScript(script: AgentScript): string {
  return JSON.stringify(validateScript(script));
}
