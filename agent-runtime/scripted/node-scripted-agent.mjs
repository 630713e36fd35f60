// The Node scripted agent: behaviour comes from the JSON script in $LAB_AGENT_SCRIPT (schema: script-schema.ts);
// every step posts a mark to $LAB_MARKS_URL. Plain JS so the job child processes can import it without a loader.
import { cli, defineAgent, ServerOptions } from '@livekit/agents';
import {
  AudioFrame,
  AudioSource,
  AudioStream,
  LocalAudioTrack,
  LocalVideoTrack,
  ParticipantKind,
  RoomEvent,
  TrackKind,
  TrackPublishOptions,
  TrackSource,
  VideoBufferType,
  VideoFrame,
  VideoSource,
  VideoStream,
} from '@livekit/rtc-node';
import { SipClient } from 'livekit-server-sdk';
import { setTimeout as sleep } from 'node:timers/promises'; // plain JS cannot import agent-runtime/wait-for.ts
import { fileURLToPath } from 'node:url';

const SCRIPT = JSON.parse(process.env.LAB_AGENT_SCRIPT || '{}');
const MARKS_URL = process.env.LAB_MARKS_URL || '';
const MARKS_TOKEN = process.env.LAB_MARKS_TOKEN || '';
const SOURCE = 'scripted-agent:node';
const STARTED_AT = Date.now();
// The worker's main process imports this module before it forks any job process, and the children inherit
// the environment: so in a job this is the worker's pid, and `ownProcess` says the job runs elsewhere.
process.env.LAB_WORKER_PID ??= String(process.pid);
const WORKER_PID = Number(process.env.LAB_WORKER_PID);
const ROOM_STEPS = new Set(['connect', 'waitForParticipant', 'participantEntrypoint', 'sendData', 'sendText', 'publishDtmf', 'waitForDtmf', 'publishTone', 'listen', 'echo', 'publishVideo']);
// SipDTMF codes: 0-9, * = 10, # = 11, A-D = 12-15 (livekit-sip's table)
const DTMF_CODES = Object.fromEntries([...'0123456789'].map((d, i) => [d, i]).concat([['*', 10], ['#', 11], ['A', 12], ['B', 13], ['C', 14], ['D', 15]]));
/** A step that ends the entry without an error (the job was shut down after a handled failure). */
const STOP = Symbol('stop');

// The job reaches the agent with the worker's URL and key in the environment (the agents CLI reads the same).
const sipClient = () => new SipClient(process.env.LIVEKIT_URL ?? '', process.env.LIVEKIT_API_KEY, process.env.LIVEKIT_API_SECRET);

/** An outbound trunk by its name (scenarios create trunks named after their alias) or its ST_ id. */
async function outboundTrunkId(ref) {
  if (ref.startsWith('ST_')) return ref;
  const found = (await sipClient().listSipOutboundTrunk()).find((t) => t.name === ref);
  if (!found) throw new Error(`no outbound trunk named ${JSON.stringify(ref)}`);
  return found.sipTrunkId;
}

/** createSipParticipant as an outbound agent does it; a failed call (SipCallError or another TwirpError) is marked and the job shut down. */
async function createSipParticipant(step, ctx, ids) {
  const trunk = await outboundTrunkId(step.trunk);
  try {
    const info = await sipClient().createSipParticipant(trunk, step.to, ctx.job.room?.name ?? '', {
      participantIdentity: step.identity,
      participantName: step.name,
      fromNumber: step.from,
      dtmf: step.dtmf,
      waitUntilAnswered: step.waitUntilAnswered,
      ringingTimeout: step.ringingTimeout,
    });
    return mark('sip.call.created', { identity: info.participantIdentity, sipCallId: info.sipCallId, room: info.roomName }, ids);
  } catch (err) {
    if (typeof err?.code !== 'string') throw err;
    // the class name, as Python reports it (ServerError's `name` is the server's error name)
    await mark('sip.call.failed', { error: err.constructor?.name ?? err.name, code: err.code, status: err.status, sipStatusCode: err.sipStatusCode, sipStatus: err.sipStatus, message: String(err.message) }, ids);
    if (step.onFailure === 'continue') return undefined;
    ctx.shutdown('sip call failed');
    return STOP;
  }
}

/**
 * SipDTMF digits the room delivered since connect (RoomEvent.DtmfReceived): a phone may type before the step that
 * waits for them starts listening, and a listener added only then would miss those digits.
 */
const dtmfInboxes = new WeakMap();
function listenForDtmf(room) {
  const inbox = { heard: '', identity: '', changed: () => undefined };
  room.on(RoomEvent.DtmfReceived, (_code, digit, participant) => {
    inbox.heard += digit;
    inbox.identity = participant?.identity ?? '';
    inbox.changed();
  });
  dtmfInboxes.set(room, inbox);
}

/** Resolves once the digits have arrived in order; what it waited for is consumed. */
function waitForDtmf(step, ctx, ids) {
  const inbox = dtmfInboxes.get(ctx.room);
  if (!inbox) throw new Error('waitForDtmf needs a connect step before it');
  return new Promise((resolve) => {
    const check = () => {
      const at = inbox.heard.indexOf(step.digits);
      if (at < 0) return;
      const got = inbox.heard.slice(0, at + step.digits.length);
      inbox.heard = inbox.heard.slice(got.length);
      inbox.changed = () => undefined;
      resolve(mark(step.mark ?? 'dtmf.received', { digits: got, identity: inbox.identity }, ids));
    };
    inbox.changed = check;
    check();
  });
}

/**
 * publishTone: a 440 Hz microphone track that plays until the job ends (the agent's voice, as a test hears it);
 * marks `tone.published`, then `tone.subscribed` when someone subscribes (publication.waitForSubscription()).
 */
async function publishTone(ctx, ids) {
  const source = new AudioSource(48_000, 1);
  const options = new TrackPublishOptions();
  options.source = TrackSource.SOURCE_MICROPHONE;
  const publication = await ctx.room.localParticipant.publishTrack(LocalAudioTrack.createAudioTrack('agent-tone', source), options);
  let playing = true;
  ctx.addShutdownCallback(async () => void (playing = false));
  void (async () => {
    for (let phase = 0; playing; ) {
      const data = new Int16Array(480);
      for (let i = 0; i < 480; i++) data[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * phase++) / 48_000));
      await source.captureFrame(new AudioFrame(data, 48_000, 1, 480)).catch(() => (playing = false));
    }
  })();
  void publication.waitForSubscription().then(() => mark('tone.subscribed', { trackSid: publication.sid }, ids));
  return mark('tone.published', { trackSid: publication.sid }, ids);
}

/**
 * Calls `use` with each subscribed track of `kind` (of `from`, or anyone): those already subscribed and those
 * to come (those after this returns, so `use` may call the returned function that stops watching).
 */
function onTracks(ctx, kind, from, use) {
  let watching = true;
  const onTrack = (track, _pub, participant) => {
    if (watching && track.kind === kind && (!from || participant.identity === from)) use(track, participant);
  };
  ctx.room.on(RoomEvent.TrackSubscribed, onTrack);
  queueMicrotask(() => {
    for (const p of ctx.room.remoteParticipants.values()) for (const pub of p.trackPublications.values()) if (pub.track) onTrack(pub.track, pub, p);
  });
  return () => {
    watching = false;
    ctx.room.off(RoomEvent.TrackSubscribed, onTrack);
  };
}

/**
 * listen: resolves once `frames` frames arrived from a subscribed track (of `from`, or anyone): audio frames with
 * energy, or (kind: video) decoded video frames; marks `heard`.
 */
function listen(step, ctx, ids) {
  const video = step.kind === 'video';
  return new Promise((resolve) => {
    let done = false;
    const stop = onTracks(ctx, video ? TrackKind.KIND_VIDEO : TrackKind.KIND_AUDIO, step.from, (track, participant) => {
      void (async () => {
        let counted = 0;
        const stream = video ? new VideoStream(track) : new AudioStream(track, 48_000, 1);
        for await (const ev of stream) {
          if (done) break;
          if (!video && !ev.data.some((s) => Math.abs(s) > 1000)) continue;
          if (++counted < step.frames) continue;
          done = true;
          stop();
          resolve(mark(step.mark ?? 'heard', { frames: counted, from: participant.identity, kind: video ? 'video' : 'audio' }, ids));
          break;
        }
      })();
    });
  });
}

/**
 * echo, as LiveKit's echo-agent.py: publishes the agent's microphone track (LocalAudioTrack `agent-echo` on an
 * AudioSource; marks `echo.published`), then plays into it the frames of the first audio track of `from` (or
 * anyone) (AudioStream) until the job ends. Resolves once echoing starts (`echo.started`); `echo.subscribed` when
 * someone subscribes.
 */
async function echo(step, ctx, ids) {
  const source = new AudioSource(48_000, 1);
  const options = new TrackPublishOptions();
  options.source = TrackSource.SOURCE_MICROPHONE;
  const publication = await ctx.room.localParticipant.publishTrack(LocalAudioTrack.createAudioTrack('agent-echo', source), options);
  void publication.waitForSubscription().then(() => mark('echo.subscribed', { trackSid: publication.sid }, ids));
  await mark('echo.published', { trackSid: publication.sid }, ids);
  const { track, participant } = await new Promise((resolve) => {
    const stop = onTracks(ctx, TrackKind.KIND_AUDIO, step.from, (track, participant) => {
      stop();
      resolve({ track, participant });
    });
  });
  let playing = true;
  ctx.addShutdownCallback(async () => void (playing = false));
  void (async () => {
    for await (const frame of new AudioStream(track, 48_000, 1)) {
      if (!playing) break;
      await source.captureFrame(frame).catch(() => (playing = false));
    }
  })().catch(() => undefined); // the stream ends with the subscription or the room
  return mark('echo.started', { from: participant.identity, trackSid: publication.sid }, ids);
}

const VIDEO_WIDTH = 64;
const VIDEO_HEIGHT = 64;

/** One I420 frame of a diagonal gradient shifted by `t` (so consecutive frames differ), neutral chroma. */
function gradientFrame(t) {
  const data = new Uint8Array(VIDEO_WIDTH * VIDEO_HEIGHT * 1.5);
  for (let y = 0; y < VIDEO_HEIGHT; y++) for (let x = 0; x < VIDEO_WIDTH; x++) data[y * VIDEO_WIDTH + x] = ((x + y + t) * 4) & 0xff;
  data.fill(128, VIDEO_WIDTH * VIDEO_HEIGHT);
  return new VideoFrame(data, VIDEO_WIDTH, VIDEO_HEIGHT, VideoBufferType.I420);
}

/**
 * publishVideo, as LiveKit's video-publisher.py: a camera track of generated frames until the job ends. Simulcast
 * is off: the mock forwards single-layer video only (deliberate difference rtc-media-scope), the real server both.
 * Marks `video.published`, then `video.subscribed` when someone subscribes.
 */
async function publishVideo(step, ctx, ids) {
  const source = new VideoSource(VIDEO_WIDTH, VIDEO_HEIGHT);
  const options = new TrackPublishOptions();
  options.source = TrackSource.SOURCE_CAMERA;
  options.simulcast = false;
  const publication = await ctx.room.localParticipant.publishTrack(LocalVideoTrack.createVideoTrack('agent-video', source), options);
  let t = 0;
  const feed = () => {
    try {
      source.captureFrame(gradientFrame(t++));
    } catch {
      clearInterval(timer); // the source is gone with the room
    }
  };
  // frames must keep coming for as long as the track is published: a timer, not a wait
  const timer = setInterval(feed, Math.round(1000 / (step.fps ?? 15)));
  feed();
  ctx.addShutdownCallback(async () => clearInterval(timer));
  void publication.waitForSubscription().then(() => mark('video.subscribed', { trackSid: publication.sid }, ids));
  return mark('video.published', { trackSid: publication.sid }, ids);
}

/** Posts a mark; never throws (a lost mark must not change the job's behaviour), but says so on stderr. */
async function mark(name, data = {}, ids = {}) {
  if (!MARKS_URL) return;
  const body = { name, source: SOURCE, ...ids, data: { pid: process.pid, runtime: 'node', ...data } };
  try {
    const res = await fetch(MARKS_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${MARKS_TOKEN}` },
      body: JSON.stringify(body),
    });
    if (res.status >= 300) console.error(`scripted-agent: mark ${name} answered ${res.status}`);
  } catch (err) {
    console.error(`scripted-agent: mark ${name} failed: ${err}`);
  }
}

let requestCount = 0;
async function requestFunc(req) {
  const index = requestCount++;
  const actions = SCRIPT.requests ?? [];
  const action = actions.length ? actions[Math.min(index, actions.length - 1)] : { action: 'accept' };
  const ids = { jobId: req.id };
  await mark('request.received', { index, room: req.room?.name ?? '', action: action.action }, ids);
  if (action.action === 'ignore') return new Promise(() => {}); // never answers
  if (action.delayMs) await sleep(action.delayMs);
  if (action.action === 'reject') await req.reject();
  else await req.accept(action.name ?? '', action.identity ?? '', action.metadata ?? '', action.attributes);
  await mark('request.answered', { index, action: action.action }, ids);
}

async function loadFunc() {
  const load = SCRIPT.load;
  if (load === undefined) return 0;
  if (typeof load === 'number') return load;
  const elapsed = Date.now() - STARTED_AT;
  let value = 0;
  for (const step of load.steps) if (step.atMs <= elapsed) value = step.value;
  return value;
}

async function runStep(step, ctx, ids) {
  switch (step.do) {
    case 'connect':
      listenForDtmf(ctx.room);
      await ctx.connect();
      return mark('connected', { room: ctx.room.name }, ids);
    case 'waitForParticipant': {
      const p = await ctx.waitForParticipant(step.identity);
      const kind = (ParticipantKind[p.info.kind] ?? String(p.info.kind)).toLowerCase();
      // agents-js 1.9.0 takes no kinds: the kind is checked after, so a wrong one fails instead of passing
      if (step.kind && kind !== step.kind) throw new Error(`participant ${p.identity} is kind ${kind}, not ${step.kind}`);
      return mark('participant.seen', { identity: p.identity, kind }, ids);
    }
    case 'createSipParticipant':
      return createSipParticipant(step, ctx, ids);
    case 'transferSipParticipant': {
      const identity = step.identity ?? [...ctx.room.remoteParticipants.values()].find((p) => p.info.kind === ParticipantKind.SIP)?.identity;
      if (!identity) throw new Error('no SIP participant to transfer');
      try {
        await sipClient().transferSipParticipant(ctx.job.room?.name ?? '', identity, step.to, { playDialtone: false });
      } catch (err) {
        if (typeof err?.code !== 'string') throw err;
        await mark('sip.transfer.failed', { code: err.code, sipStatusCode: err.sipStatusCode, message: String(err.message) }, ids);
        throw err;
      }
      return mark('sip.transferred', { identity, to: step.to }, ids);
    }
    case 'publishDtmf':
      for (const digit of step.digits) await ctx.room.localParticipant.publishDtmf(DTMF_CODES[digit.toUpperCase()], digit);
      return mark('dtmf.published', { digits: step.digits }, ids);
    case 'waitForDtmf':
      return waitForDtmf(step, ctx, ids);
    case 'publishTone':
      return publishTone(ctx, ids);
    case 'listen':
      return listen(step, ctx, ids);
    case 'echo':
      return echo(step, ctx, ids);
    case 'publishVideo':
      return publishVideo(step, ctx, ids);
    case 'participantEntrypoint':
      return ctx.addParticipantEntrypoint(async (_ctx, p) => mark('participant.entry', { identity: p.identity }, ids));
    case 'sendData':
      return ctx.room.localParticipant.publishData(new TextEncoder().encode(step.payload), { reliable: true, topic: step.topic });
    case 'sendText':
      return ctx.room.localParticipant.sendText(step.text, { topic: step.topic });
    case 'sleep':
      return sleep(step.ms);
    case 'throw':
      throw new Error(step.message ?? 'scripted failure');
    case 'exit':
      await mark('process.exiting', { code: step.code ?? 1 }, ids);
      return process.exit(step.code ?? 1);
    case 'shutdown':
      return ctx.shutdown(step.reason ?? 'scripted shutdown');
    case 'deleteRoom':
      return ctx.deleteRoom();
    case 'mark':
      return mark(step.name, step.data ?? {}, ids);
    default:
      throw new Error(`unknown step ${JSON.stringify(step.do)}`);
  }
}

/** Runs steps in order; a failing step is marked (with whether it needed a room) and rethrown, so the runtime sees it. */
async function runSteps(steps, ctx, ids, phase) {
  for (const [index, step] of (steps ?? []).entries()) {
    await mark('step.started', { phase, index, step: step.do }, ids);
    try {
      if ((await runStep(step, ctx, ids)) === STOP) return;
    } catch (err) {
      await mark('step.failed', { phase, index, step: step.do, needsRoom: ROOM_STEPS.has(step.do), error: String(err?.message ?? err) }, ids);
      throw err;
    }
  }
}

export default defineAgent({
  prewarm: async () => {
    await mark('prewarm.started');
    await runSteps(SCRIPT.prewarm, undefined, {}, 'prewarm');
    await mark('prewarm.finished');
  },
  entry: async (ctx) => {
    const ids = { jobId: ctx.job.id, workerId: ctx.workerId };
    for (const [index, cb] of (SCRIPT.shutdownCallbacks ?? []).entries()) {
      ctx.addShutdownCallback(async () => {
        const data = { index, name: cb.name ?? `callback-${index}`, durationMs: cb.durationMs };
        await mark('shutdown.callback.started', data, ids);
        await sleep(cb.durationMs);
        await mark('shutdown.callback.finished', data, ids);
      });
    }
    await mark(
      'entry.started',
      {
        room: ctx.job.room?.name ?? '',
        metadata: ctx.job.metadata,
        agentName: ctx.job.agentName,
        // The job reaches the child as JSON (enum names); a number would come from an in-process job.
        jobType: typeof ctx.job.type === 'number' ? ['JT_ROOM', 'JT_PUBLISHER', 'JT_PARTICIPANT'][ctx.job.type] : ctx.job.type,
        identity: ctx.info.acceptArguments?.identity ?? '',
        dispatchId: ctx.job.dispatchId,
        workerPid: WORKER_PID,
        ownProcess: process.pid !== WORKER_PID,
      },
      ids,
    );
    await runSteps(SCRIPT.entryByMetadata?.[ctx.job.metadata] ?? SCRIPT.entry, ctx, ids, 'entry');
    await mark('entry.finished', {}, ids);
  },
});

/** Request handling and load live in the worker's main process, so they travel as ServerOptions (node-runner.mjs merges them). */
export const labServerOptions = { requestFunc, loadFunc };

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  cli.runApp(new ServerOptions({ agent: fileURLToPath(import.meta.url), requestFunc, loadFunc }));
}
