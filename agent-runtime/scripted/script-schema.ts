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
  /**
   * [room] Node: waitForParticipant(identity?), then the kind is checked (agents-js takes none); Python:
   * wait_for_participant(identity, kind) (ACTIVE only). Marks `participant.seen` with identity and kind.
   */
  | { do: 'waitForParticipant'; identity?: string; kind?: 'standard' | 'sip' | 'agent' }
  /**
   * CreateSIPParticipant into the job's room (Node: livekit-server-sdk SipClient; Python: ctx.api.sip), `trunk` an
   * outbound trunk's name or ST_ id. Marks `sip.call.created`; a failed call marks `sip.call.failed` with `code`
   * (the Twirp code), `sipStatusCode` / `sipStatus` (a SipCallError's), then shuts the job down (`onFailure:
   * continue`: goes on).
   */
  | { do: 'createSipParticipant'; trunk: string; to: string; identity?: string; name?: string; from?: string; dtmf?: string; waitUntilAnswered?: boolean; ringingTimeout?: number; onFailure?: 'shutdown' | 'continue' }
  /** TransferSIPParticipant (REFER) of `identity` (default: the room's SIP participant). Marks `sip.transferred` or `sip.transfer.failed`. */
  | { do: 'transferSipParticipant'; to: string; identity?: string }
  /** [room] localParticipant.publishDtmf / publish_dtmf, one SipDTMF packet per digit. Marks `dtmf.published`. */
  | { do: 'publishDtmf'; digits: string }
  /** [room] Waits until these digits arrive (in order) as SipDTMF packets; marks `mark` (default `dtmf.received`) with the digits. */
  | { do: 'waitForDtmf'; digits: string; mark?: string }
  /**
   * [room] Publishes a 440 Hz microphone track that plays until the job ends (the agent's voice). Marks
   * `tone.published` with the track sid, and `tone.subscribed` once someone subscribes to it (waitForSubscription).
   */
  | { do: 'publishTone' }
  /**
   * [room] Waits until `frames` frames arrived from a subscribed track (of `from`, or anyone): audio frames with
   * energy, or (`kind: video`) decoded video frames. Marks `mark` (default `heard`) with frames, from and kind.
   */
  | { do: 'listen'; frames: number; from?: string; mark?: string; kind?: 'audio' | 'video' }
  /**
   * [room] What LiveKit's echo-agent.py does: publishes a microphone track `agent-echo` (marks `echo.published`),
   * then republishes into it the frames of the first audio track subscribed from `from` (or anyone) (AudioStream ->
   * AudioSource) until the job ends. Marks `echo.started` (from, trackSid) when echoing starts, `echo.subscribed`
   * once someone subscribes.
   */
  | { do: 'echo'; from?: string }
  /**
   * [room] What LiveKit's video-publisher.py does: a camera track of generated frames (a moving gradient, I420,
   * `fps` per second, default 15) until the job ends, published with simulcast off (the mock forwards single-layer
   * video only: deliberate difference rtc-media-scope). Marks `video.published`, then `video.subscribed`.
   */
  | { do: 'publishVideo'; fps?: number }
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
  sipCallCreated: 'sip.call.created',
  sipCallFailed: 'sip.call.failed',
  sipTransferred: 'sip.transferred',
  sipTransferFailed: 'sip.transfer.failed',
  dtmfPublished: 'dtmf.published',
  dtmfReceived: 'dtmf.received',
  heard: 'heard',
  echoPublished: 'echo.published',
  echoStarted: 'echo.started',
  echoSubscribed: 'echo.subscribed',
  videoPublished: 'video.published',
  videoSubscribed: 'video.subscribed',
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
  'createSipParticipant',
  'transferSipParticipant',
  'publishDtmf',
  'waitForDtmf',
  'publishTone',
  'listen',
  'echo',
  'publishVideo',
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
      checkMediaStep(s, `${list}[${i}]`, fail);
      checkSipStep(s, `${list}[${i}]`, fail);
    }
  }
  const load = script.load;
  if (typeof load === 'number' && !(load >= 0 && load <= 1)) fail('load must be within 0..1');
  if (load !== undefined && typeof load !== 'number' && !Array.isArray(load.steps)) fail('load.steps must be an array');
  return script;
}

/** The media steps' fields (listen, echo, publishVideo), one line each. */
function checkMediaStep(s: Step, at: string, fail: (msg: string) => never): void {
  const identityOk = (v: unknown) => v === undefined || (typeof v === 'string' && v.length > 0);
  if (s.do === 'listen') {
    if (!(Number.isInteger(s.frames) && s.frames > 0)) fail(`${at}: listen needs frames, a whole number > 0`);
    if (s.kind !== undefined && s.kind !== 'audio' && s.kind !== 'video') fail(`${at}: listen kind must be audio or video`);
    if (!identityOk(s.from)) fail(`${at}: listen from must be a participant identity (a non-empty string)`);
  }
  if (s.do === 'echo' && !identityOk(s.from)) fail(`${at}: echo from must be a participant identity (a non-empty string)`);
  if (s.do === 'publishVideo' && s.fps !== undefined && !(Number.isInteger(s.fps) && s.fps >= 1 && s.fps <= 60)) fail(`${at}: publishVideo fps must be a whole number within 1..60`);
}

const DTMF_DIGITS = /^[0-9*#A-Da-d]+$/;

/** The telephony steps' fields, so a typo fails here and not as a `step.failed` inside a job. */
function checkSipStep(s: Step, at: string, fail: (msg: string) => never): void {
  const nonEmpty = (v: unknown) => typeof v === 'string' && v.length > 0;
  if (s.do === 'waitForParticipant' && s.kind !== undefined && !['standard', 'sip', 'agent'].includes(s.kind)) fail(`${at}: waitForParticipant kind must be standard, sip or agent`);
  if (s.do === 'createSipParticipant') {
    if (!nonEmpty(s.trunk) || !nonEmpty(s.to)) fail(`${at}: createSipParticipant needs trunk (an outbound trunk's name or ST_ id) and to (the number)`);
    if (s.ringingTimeout !== undefined && !(s.ringingTimeout > 0)) fail(`${at}: createSipParticipant ringingTimeout is seconds > 0`);
    if (s.onFailure !== undefined && s.onFailure !== 'shutdown' && s.onFailure !== 'continue') fail(`${at}: createSipParticipant onFailure must be shutdown or continue`);
  }
  if (s.do === 'transferSipParticipant' && !nonEmpty(s.to)) fail(`${at}: transferSipParticipant needs to (tel:+1… or sip:…)`);
  if ((s.do === 'publishDtmf' || s.do === 'waitForDtmf') && !(typeof s.digits === 'string' && DTMF_DIGITS.test(s.digits))) fail(`${at}: ${s.do} needs digits of 0-9 * # A-D`);
}

export function encodeScript(script: AgentScript): string {
  return JSON.stringify(validateScript(script));
}
