// A Node client sends data and publishes a sine; Python (livekit rtc, the Rust SDK) receives both.
// Runs inside the test network namespace (test/rtc/python-media.test.ts).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AudioFrame, AudioSource, LocalAudioTrack, TrackPublishOptions, TrackSource } from '@livekit/rtc-node';
import { venvPython } from '../../../agent-runtime/index.ts';
import { waitFor } from '../../../agent-runtime/wait-for.ts';
import { connectClient, runDriver, startLabServer, userToken } from './driver-kit.ts';

export interface PythonMediaResult {
  published: string;
  data: { payload: string; kind: number; sender: string }[];
  tracks: { sid: string; participant: string }[];
  framesWithEnergy: number;
}

const RECEIVER = fileURLToPath(new URL('./python_media_receiver.py', import.meta.url));

runDriver(async (): Promise<PythonMediaResult> => {
  const server = await startLabServer();
  const py = spawn(venvPython(), [RECEIVER, server.url, await userToken(server, 'py', 'r1')], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: Record<string, unknown>[] = [];
  let log = '';
  let exited = false;
  py.on('exit', () => (exited = true));
  py.stdout.on('data', (d: Buffer) => {
    for (const line of d.toString().split('\n')) if (line.startsWith('@@py ')) lines.push(JSON.parse(line.slice(5)) as Record<string, unknown>);
  });
  py.stderr.on('data', (d: Buffer) => void (log += d.toString()));
  const of = (step: string) => lines.filter((l) => l.step === step);
  let pumping = true;
  try {
    await waitFor(() => exited || of('connected').length > 0, { reason: 'the Python receiver to connect', timeoutMs: 30_000 });
    if (exited) throw new Error(`the Python receiver exited early:\n${log}`);
    const alice = await connectClient(server, await userToken(server, 'alice', 'r1'));
    await waitFor(() => alice.room.remoteParticipants.has('py'), { reason: 'alice to see py' });
    const lp = alice.room.localParticipant!;
    await lp.publishData(Buffer.from('hello-python'), { reliable: true });
    await lp.publishData(Buffer.from('lossy-python'), { reliable: false });
    await waitFor(() => of('data').some((d) => d.payload === 'hello-python'), { reason: 'Python to get the reliable packet', timeoutMs: 10_000 });

    const source = new AudioSource(48_000, 1);
    const options = new TrackPublishOptions();
    options.source = TrackSource.SOURCE_MICROPHONE;
    const publication = await lp.publishTrack(LocalAudioTrack.createAudioTrack('mic', source), options);
    let phase = 0;
    const pump = (async () => {
      while (pumping) {
        const data = new Int16Array(480);
        for (let i = 0; i < 480; i++) data[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * phase++) / 48_000));
        await source.captureFrame(new AudioFrame(data, 48_000, 1, 480));
      }
    })();
    await waitFor(() => of('frames').some((f) => (f.with_energy as number) >= 100), { reason: 'Python to hear 100 frames with energy', timeoutMs: 20_000 });
    pumping = false;
    await pump;
    const result: PythonMediaResult = {
      published: publication.sid!,
      data: of('data') as never,
      tracks: of('track') as never,
      framesWithEnergy: Math.max(0, ...of('frames').map((f) => f.with_energy as number)),
    };
    await alice.room.disconnect();
    return result;
  } finally {
    pumping = false;
    py.stdin.end('done\n');
    await waitFor(() => exited, { reason: 'the Python receiver to leave', timeoutMs: 10_000 }).catch(() => py.kill('SIGKILL'));
    await server.close();
  }
});
