/**
 * The media probe, run inside a private network namespace (test/support/netns.ts runInNetns): the same steps on the
 * mock (its own process, bench/start-mock-child.ts) and on livekit-server, both on the namespace's veth address.
 * 1. Latency: alice publishes 100 ms tone bursts after 300 ms of silence; bob's first frame with energy after each
 *    silence, minus the burst's playout time at alice, is one publish → receive sample (the receiver's jitter buffer
 *    included, the same on both servers).
 * 2. Server CPU (utime + stime of its process): idle with four participants, then alice's audio to three
 *    subscribers; per forwarded audio stream = the difference / 3.
 * 3. Then her 320x240 VP8 video, paused and resumed in alternating windows (a paused source sends nothing): per
 *    forwarded video stream = (on − off) / 3 for each pair of windows, so slow drifts in the server's background
 *    CPU cancel out; bob's decoded frame rate in the on windows shows the video really flowed.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import {
  AudioFrame,
  AudioSource,
  AudioStream,
  LocalAudioTrack,
  LocalVideoTrack,
  Room,
  RoomEvent,
  TrackKind,
  TrackPublishOptions,
  TrackSource,
  VideoBufferType,
  VideoFrame,
  VideoSource,
  VideoStream,
  type RemoteTrack,
} from '@livekit/rtc-node';
import { AccessToken } from 'livekit-server-sdk';
import { sleep, waitFor } from '../agent-runtime/wait-for.ts';
import { startLiveKitServer } from '../targets/livekit-binary.ts';
import { REPO_ROOT } from '../targets/livekit-server-binary-path.ts';
import { RESULT_MARK } from '../test/support/netns.ts';
import { procCpuMicros } from './lib/proc.ts';

const host = process.env.LAB_NETNS_SERVER!;
const BURSTS = Number(process.env.BENCH_BURSTS ?? 20);
const CPU_WINDOW_MS = Number(process.env.BENCH_CPU_MS ?? 5_000);
const VIDEO_PAIRS = Number(process.env.BENCH_VIDEO_PAIRS ?? 4);
/** A paused video has stopped once bob decodes nothing for this long (his jitter buffer has drained). */
const VIDEO_QUIET_MS = 300;
const RATE = 48_000;
const FRAME = 480; // 10 ms

export interface MediaProbe {
  latencyMs: number[];
  /** CPU % of one core, per forwarded stream: audio once, video once per pair of windows. */
  cpuPerAudioStream: number;
  cpuPerVideoStream: number[];
  /** Frames per second bob decoded in the windows with video on. */
  videoFps: number;
}

interface Server {
  url: string;
  apiKey: string;
  apiSecret: string;
  pid: number;
  stop(): Promise<void>;
}

async function startMockProcess(): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'bench', 'start-mock-child.ts'), '0', host], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      const m = /ready (\d+)/.exec(d.toString());
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`the mock exited (${code})`)));
  });
  return { url: `ws://${host}:${port}`, apiKey: 'devkey', apiSecret: 'secret', pid: child.pid!, stop: async () => void child.kill('SIGTERM') };
}

async function startRealProcess(): Promise<Server> {
  const real = await startLiveKitServer({ bindAddress: host, nodeIp: host, logLevel: 'warn' });
  return { url: real.wsUrl, apiKey: real.apiKey, apiSecret: real.apiSecret, pid: real.pid, stop: () => real.dispose() };
}

async function joinRoom(server: Server, identity: string): Promise<Room> {
  const at = new AccessToken(server.apiKey, server.apiSecret, { identity });
  at.addGrant({ roomJoin: true, room: 'media-bench' });
  const room = new Room();
  await room.connect(server.url, await at.toJwt(), { autoSubscribe: true, dynacast: false });
  return room;
}

/** CPU % of one core the server used over `ms`. */
async function cpuOver(pid: number, ms: number): Promise<number> {
  const c0 = procCpuMicros(pid);
  const t0 = performance.now();
  await sleep(ms);
  return ((procCpuMicros(pid) - c0) / 1000 / (performance.now() - t0)) * 100;
}

async function probe(server: Server): Promise<MediaProbe> {
  const alice = await joinRoom(server, 'alice');
  const subscribers = [await joinRoom(server, 'bob'), await joinRoom(server, 'carol'), await joinRoom(server, 'dave')];
  // bob times the onsets; every subscriber drains its audio so its client keeps up
  const onsets: number[] = [];
  let silentSince = 0;
  let bobFrames = 0;
  let bobFrameAt = 0;
  for (const [i, sub] of subscribers.entries()) {
    sub.on(RoomEvent.TrackSubscribed, (track: RemoteTrack) => {
      if (track.kind === TrackKind.KIND_VIDEO && i === 0) {
        void (async () => {
          for await (const _ of new VideoStream(track)) {
            bobFrames++;
            bobFrameAt = performance.now();
          }
        })().catch(() => undefined);
      }
      if (track.kind !== TrackKind.KIND_AUDIO) return;
      void (async () => {
        for await (const frame of new AudioStream(track, RATE, 1)) {
          if (i !== 0) continue;
          const loud = frame.data.some((s) => Math.abs(s) > 2000);
          if (!loud) silentSince ||= performance.now();
          else if (silentSince && performance.now() - silentSince > 150) {
            onsets.push(performance.now());
            silentSince = 0;
          } else silentSince = 0;
        }
      })().catch(() => undefined);
    });
  }
  const idle = await cpuOver(server.pid, CPU_WINDOW_MS);

  const source = new AudioSource(RATE, 1, 20);
  const options = new TrackPublishOptions();
  options.source = TrackSource.SOURCE_MICROPHONE;
  await alice.localParticipant!.publishTrack(LocalAudioTrack.createAudioTrack('mic', source), options);
  let phase = 0;
  let mode = 'bursts' as 'bursts' | 'tone' | 'stop';
  const burstsAt: number[] = [];
  const pump = (async () => {
    for (let n = 0; mode !== 'stop'; n++) {
      const inBurst = mode === 'tone' || n % 40 >= 30; // 300 ms silence, 100 ms tone
      if (mode === 'bursts' && n % 40 === 30) burstsAt.push(performance.now() + source.queuedDuration);
      const data = new Int16Array(FRAME);
      if (inBurst) for (let i = 0; i < FRAME; i++) data[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * phase++) / RATE));
      await source.captureFrame(new AudioFrame(data, RATE, 1, FRAME));
    }
  })();
  await waitFor(() => onsets.length >= BURSTS + 2, { reason: `${BURSTS} tone onsets at bob`, timeoutMs: 60_000 });
  // pair each onset with the burst just before it (the first bursts can be lost while subscriptions settle)
  const latencyMs = onsets.slice(2).map((t) => t - Math.max(...burstsAt.filter((b) => b < t))).slice(0, BURSTS);

  mode = 'tone';
  await sleep(500);
  const audio = await cpuOver(server.pid, CPU_WINDOW_MS);

  const video = new VideoSource(320, 240);
  const vOptions = new TrackPublishOptions();
  vOptions.source = TrackSource.SOURCE_CAMERA;
  vOptions.simulcast = false;
  await alice.localParticipant!.publishTrack(LocalVideoTrack.createVideoTrack('cam', video), vOptions);
  let videoState = 'on' as 'on' | 'paused' | 'stop';
  const vPump = (async () => {
    const rgba = new Uint8Array(320 * 240 * 4);
    for (let n = 0; videoState !== 'stop'; n++) {
      // a moving gradient with noise: the encoder has to spend bits, as on a camera
      if (videoState === 'on') {
        for (let i = 0; i < rgba.length; i += 4) rgba[i] = rgba[i + 1] = ((i >> 2) + n * 7 + ((Math.random() * 16) | 0)) & 0xff;
        video.captureFrame(new VideoFrame(rgba, 320, 240, VideoBufferType.RGBA));
      }
      await sleep(33);
    }
  })();
  await waitFor(() => bobFrames > 0, { reason: 'bob to decode the video', timeoutMs: 20_000 });
  const cpuPerVideoStream: number[] = [];
  let onFrames = 0;
  let onMs = 0;
  for (let pair = 0; pair < VIDEO_PAIRS; pair++) {
    videoState = 'paused';
    await waitFor(() => performance.now() - bobFrameAt > VIDEO_QUIET_MS, { reason: "bob's video to stop after the pause", timeoutMs: 10_000 });
    const off = await cpuOver(server.pid, CPU_WINDOW_MS);
    videoState = 'on';
    const resumedAt = bobFrames;
    await waitFor(() => bobFrames >= resumedAt + 10, { reason: 'bob to decode the resumed video', timeoutMs: 10_000 });
    const framesBefore = bobFrames;
    const t0 = performance.now();
    const on = await cpuOver(server.pid, CPU_WINDOW_MS);
    onFrames += bobFrames - framesBefore;
    onMs += performance.now() - t0;
    cpuPerVideoStream.push((on - off) / 3);
  }
  videoState = 'stop';
  mode = 'stop';
  await Promise.all([pump, vPump]);
  for (const r of [alice, ...subscribers]) await r.disconnect();
  return { latencyMs, cpuPerAudioStream: (audio - idle) / 3, cpuPerVideoStream, videoFps: (onFrames / onMs) * 1000 };
}

const guard = setTimeout(() => {
  console.error('media driver: overall timeout');
  process.exit(3);
}, 380_000);
const result: Record<string, MediaProbe | string> = {};
for (const [name, start] of [['mock', startMockProcess], ['real', startRealProcess]] as const) {
  let server: Server | undefined;
  try {
    server = await start();
    result[name] = await probe(server);
  } catch (e) {
    result[name] = `failed: ${(e as Error).message}`;
  } finally {
    await server?.stop();
  }
}
process.stdout.write(`${RESULT_MARK}${JSON.stringify(result)}\n`);
clearTimeout(guard);
process.exit(0);
